// How prices and quantities read to a buyer. Pure functions: tests/format.test.ts.
import type { Language } from '../i18n/errors'
import type { Moq, Price } from '../api/types'
import { unitName } from './units'

const CURRENCY_SIGNS: Record<string, string> = { USD: 'US$', CNY: '¥', NZD: 'NZ$', AUD: 'A$', FJD: 'FJ$' }

function amount(value: string): string {
  const number = Number(value)
  if (!Number.isFinite(number)) return value
  return number % 1 === 0 ? String(number) : number.toFixed(2)
}

/** "US$6–8 / 公斤", "US$9.50–12.00 / kg", "US$6 / kg" or "" (no price shown). */
export function priceRange(price: Price | null, language: Language = 'zh-hans'): string {
  if (!price || (price.min === null && price.max === null)) return ''
  const sign = CURRENCY_SIGNS[price.currency] ?? `${price.currency} `
  const low = price.min ?? price.max!
  const high = price.max ?? price.min!
  // Both ends with the same decimals: "9.50–12.00", not "9.50–12".
  const cents = amount(low).includes('.') || amount(high).includes('.')
  const show = (value: string) =>
    cents && Number.isFinite(Number(value)) ? Number(value).toFixed(2) : amount(value)
  const range = low === high || Number(low) === Number(high) ? amount(low) : `${show(low)}–${show(high)}`
  return price.unit ? `${sign}${range} / ${unitName(price.unit, language)}` : `${sign}${range}`
}

/** "起订 500公斤" / "MOQ 500 kg", or "" when the exporter gave none. */
export function moqText(moq: Moq | null, language: Language): string {
  if (!moq) return ''
  const unit = unitName(moq.unit, language)
  // Chinese writes a quantity and its unit together: 起订 500公斤, 起订 1柜（20尺）.
  const quantity = (
    language === 'en' ? `${amount(moq.quantity)} ${unit}` : `${amount(moq.quantity)}${unit}`
  ).trim()
  return language === 'en' ? `MOQ ${quantity}` : `起订 ${quantity}`
}
