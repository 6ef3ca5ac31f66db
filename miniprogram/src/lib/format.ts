// How prices and quantities read to a buyer. Pure functions: tests/format.test.ts.
import type { Language } from '../i18n/errors'
import type { Moq, Price } from '../api/types'

const CURRENCY_SIGNS: Record<string, string> = { USD: 'US$', CNY: '¥', NZD: 'NZ$', AUD: 'A$', FJD: 'FJ$' }

function amount(value: string): string {
  const number = Number(value)
  if (!Number.isFinite(number)) return value
  return number % 1 === 0 ? String(number) : number.toFixed(2)
}

/** "US$6–8 / kg", "US$6 / kg" or "" (no price shown). */
export function priceRange(price: Price | null): string {
  if (!price || (price.min === null && price.max === null)) return ''
  const sign = CURRENCY_SIGNS[price.currency] ?? `${price.currency} `
  const low = price.min ?? price.max!
  const high = price.max ?? price.min!
  const range = low === high || Number(low) === Number(high) ? amount(low) : `${amount(low)}–${amount(high)}`
  return price.unit ? `${sign}${range} / ${price.unit}` : `${sign}${range}`
}

/** "起订 500 kg" / "MOQ 500 kg", or "" when the exporter gave none. */
export function moqText(moq: Moq | null, language: Language): string {
  if (!moq) return ''
  const quantity = `${amount(moq.quantity)} ${moq.unit}`.trim()
  return language === 'en' ? `MOQ ${quantity}` : `起订 ${quantity}`
}
