// How prices and quantities read to a buyer. Pure functions: tests/format.test.ts.
import type { Language } from '../i18n/errors'
import type { Moq, Price } from '../api/types'

const CURRENCY_SIGNS: Record<string, string> = {
  USD: 'US$',
  CNY: '¥',
  NZD: 'NZ$',
  AUD: 'A$',
  FJD: 'FJ$',
  EUR: '€',
  GBP: '£',
  JPY: 'JP¥',
  WST: 'WS$',
  TOP: 'T$',
  SBD: 'SI$',
}

// The API names units by code (catalogue.models.Unit); the buyer reads them in their language.
// `zhCounted`: the unit after a number, where Chinese needs a measure word (1 个20英尺集装箱).
const UNITS: Record<string, { zh: string; en: string; enPlural: string; zhCounted?: string }> = {
  kg: { zh: '千克', en: 'kg', enPlural: 'kg' },
  tonne: { zh: '吨', en: 'tonne', enPlural: 'tonnes' },
  litre: { zh: '升', en: 'litre', enPlural: 'litres' },
  piece: { zh: '件', en: 'piece', enPlural: 'pieces' },
  carton: { zh: '箱', en: 'carton', enPlural: 'cartons' },
  bottle: { zh: '瓶', en: 'bottle', enPlural: 'bottles' },
  container_20ft: {
    zh: '20英尺集装箱',
    zhCounted: '个20英尺集装箱',
    en: '20 ft container',
    enPlural: '20 ft containers',
  },
  container_40ft: {
    zh: '40英尺集装箱',
    zhCounted: '个40英尺集装箱',
    en: '40 ft container',
    enPlural: '40 ft containers',
  },
}

/** A unit code ('carton') as the buyer reads it: 箱 / carton, or cartons for `count` ≠ 1. */
export function unitLabel(code: string, language: Language = 'zh-hans', count = 1): string {
  const unit = UNITS[code]
  if (!unit) return code
  if (language !== 'en') return unit.zh
  return count === 1 ? unit.en : unit.enPlural
}

function grouped(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** "6", "6.50", "12,000", "0.125": no decimals for whole numbers, otherwise at least two. */
export function amount(value: string | number): string {
  const number = Number(value)
  if (value === '' || !Number.isFinite(number)) return String(value)
  const sign = number < 0 ? '-' : ''
  const absolute = Math.abs(number)
  let text: string
  if (absolute % 1 === 0) text = absolute.toFixed(0)
  else if (Math.abs(Math.round(absolute * 100) - absolute * 100) < 1e-6) text = absolute.toFixed(2)
  else text = absolute.toFixed(4).replace(/0+$/, '')
  const [whole, fraction] = text.split('.')
  return `${sign}${grouped(whole)}${fraction ? `.${fraction}` : ''}`
}

/**
 * "US$6–8 / 千克", "US$6 / 千克 起" (a minimum only), "最高 US$8 / 千克" (a maximum only), or ""
 * (no price shown). In English: "US$6–8 / kg", "from US$6 / kg", "up to US$8 / kg".
 */
export function priceRange(price: Price | null, language: Language = 'zh-hans'): string {
  if (!price) return ''
  const valid = (value: string | null) => value !== null && value !== '' && Number.isFinite(Number(value))
  const min = valid(price.min) ? Number(price.min) : undefined
  const max = valid(price.max) ? Number(price.max) : undefined
  if (min === undefined && max === undefined) return ''
  const currency = (price.currency ?? '').toUpperCase()
  const sign = CURRENCY_SIGNS[currency] ?? (currency ? `${currency} ` : '')
  const unit = price.unit ? ` / ${unitLabel(price.unit, language)}` : ''
  const en = language === 'en'
  if (min !== undefined && max !== undefined) {
    const [low, high] = min <= max ? [min, max] : [max, min]
    const range = low === high ? amount(low) : `${amount(low)}–${amount(high)}`
    return `${sign}${range}${unit}`
  }
  if (min !== undefined) return en ? `from ${sign}${amount(min)}${unit}` : `${sign}${amount(min)}${unit} 起`
  return en ? `up to ${sign}${amount(max!)}${unit}` : `最高 ${sign}${amount(max!)}${unit}`
}

/** "起订 500 千克" / "MOQ 500 kg", or "" when the exporter gave none. */
export function moqText(moq: Moq | null, language: Language): string {
  if (!moq || moq.quantity === null || moq.quantity === undefined || moq.quantity === '') return ''
  const count = Number(moq.quantity)
  const counted = language === 'en' ? undefined : UNITS[moq.unit]?.zhCounted
  const unit = moq.unit ? (counted ?? unitLabel(moq.unit, language, count)) : ''
  const quantity = `${amount(moq.quantity)} ${unit}`.trim()
  return language === 'en' ? `MOQ ${quantity}` : `起订 ${quantity}`
}
