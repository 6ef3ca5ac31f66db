import { describe, expect, it } from 'vitest'

import type { Price } from '../src/api/types'
import { priceParts, priceText } from '../src/lib/productText'

const price = (min: string | null, max: string | null, unit = 'kg'): Price => ({
  currency: 'USD',
  min,
  max,
  incoterm: 'FOB',
  unit,
})

describe('priceParts', () => {
  it('splits the amount from its unit', () =>
    expect(priceParts(price('6.50', '8'), 'en')).toEqual({ amount: 'US$6.50–8', unit: 'kg' }))
  it('keeps a price without a unit whole', () =>
    expect(priceParts(price('6', '8', ''), 'en')).toEqual({ amount: 'US$6–8', unit: '' }))
  it('gives nothing to show without a price', () => {
    expect(priceParts(null, 'zh-hans')).toEqual({ amount: '', unit: '' })
    expect(priceParts(price(null, null), 'zh-hans')).toEqual({ amount: '', unit: '' })
  })
})

describe('priceText', () => {
  it('is the whole price line', () => expect(priceText(price('6', '6'), 'en')).toBe('US$6 / kg'))
})
