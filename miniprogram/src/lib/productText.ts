// The price as the product page and the poster show it, in the buyer's language. Pure:
// tests/productText.test.ts.
import type { Price } from '../api/types'
import type { Language } from '../i18n/errors'
import { priceRange } from './format'

/** "US$6–8 / 千克" (or "" when there is no price), as the poster and the share card say it. */
export function priceText(price: Price | null, language: Language): string {
  return priceRange(price, language)
}

/** The price in two parts, for a large amount and a small unit: "US$6–8" and "kg". */
export function priceParts(price: Price | null, language: Language): { amount: string; unit: string } {
  const text = priceText(price, language)
  const cut = text.indexOf(' / ')
  return cut < 0 ? { amount: text, unit: '' } : { amount: text.slice(0, cut), unit: text.slice(cut + 3) }
}
