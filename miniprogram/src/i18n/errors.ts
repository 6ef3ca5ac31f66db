// Messages for failures that carry no message of the API's own (no answer, a proxy's page,
// a captive Wi-Fi portal, WeChat's sign-in failing).
export type Language = 'zh-hans' | 'en'

const TEXTS = {
  'zh-hans': {
    network: '网络不给力，请检查网络后重试',
    timeout: '请求超时，请稍后重试',
    server: '服务暂时不可用，请稍后重试',
    throttled: '操作太频繁，请稍后再试',
    not_found: '内容不存在或已下架',
    sign_in: '微信登录失败，请稍后重试',
    unknown: '出了点问题，请稍后重试',
  },
  en: {
    network: 'No connection. Check your network and try again.',
    timeout: 'The request timed out. Please try again.',
    server: 'The service is unavailable for a moment. Please try again.',
    throttled: 'Too many requests. Please wait a moment and try again.',
    not_found: 'This is no longer available.',
    sign_in: 'Signing in with WeChat failed. Please try again.',
    unknown: 'Something went wrong. Please try again.',
  },
} as const

export type ErrorKind = keyof (typeof TEXTS)['en']

export function errorText(language: Language, kind: ErrorKind): string {
  return (TEXTS[language] ?? TEXTS['zh-hans'])[kind]
}
