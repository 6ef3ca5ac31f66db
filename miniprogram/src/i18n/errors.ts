// Messages for failures that carry no message of the API's own (no answer, a proxy's page).
export type Language = 'zh-hans' | 'en'

const TEXTS = {
  'zh-hans': {
    network: '网络不给力，请检查网络后重试',
    timeout: '请求超时，请稍后重试',
    server: '服务暂时不可用，请稍后重试',
    unknown: '出了点问题，请稍后重试',
  },
  en: {
    network: 'No connection. Check your network and try again.',
    timeout: 'The request timed out. Please try again.',
    server: 'The service is unavailable for a moment. Please try again.',
    unknown: 'Something went wrong. Please try again.',
  },
} as const

export function errorText(language: Language, kind: keyof (typeof TEXTS)['en']): string {
  return TEXTS[language][kind]
}
