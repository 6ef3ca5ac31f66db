// The support contacts of app-config/ as 我的 lists them. Pure: tests/support.test.ts.
import type { AppConfig } from '../api/types'

export interface SupportLine {
  key: string
  value: string
}

const ORDER = ['phone', 'email', 'wechat', 'hours']

/** The contacts the API gave, phone first, without empty ones; none when it gave none. */
export function supportLines(config: Partial<AppConfig> | undefined): SupportLine[] {
  const support = config?.support
  if (!support || typeof support !== 'object') return []
  const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length)
  return Object.entries(support)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
    .map(([key, value]) => ({ key, value: value.trim() }))
    .sort((a, b) => rank(a.key) - rank(b.key))
}
