import { describe, expect, it } from 'vitest'

import type { Price } from '../src/api/types'
import { amount, moqText, priceRange, unitLabel } from '../src/lib/format'

function price(min: string | null, max: string | null, extra: Partial<Price> = {}): Price {
  return { currency: 'USD', min, max, incoterm: 'FOB', unit: 'kg', ...extra }
}

describe('priceRange', () => {
  it('shows a range with the currency sign and the unit in the buyer’s language', () => {
    expect(priceRange(price('6.00', '8.00'))).toBe('US$6–8 / 千克')
    expect(priceRange(price('6.00', '8.00'), 'en')).toBe('US$6–8 / kg')
  })

  it('says "from" for a minimum only and "up to" for a maximum only', () => {
    expect(priceRange(price('6.00', null))).toBe('US$6 / 千克 起')
    expect(priceRange(price('6.00', null), 'en')).toBe('from US$6 / kg')
    expect(priceRange(price(null, '8.00'))).toBe('最高 US$8 / 千克')
    expect(priceRange(price(null, '8.00'), 'en')).toBe('up to US$8 / kg')
  })

  it('shows one amount when both ends are equal, and orders swapped ends', () => {
    expect(priceRange(price('6.00', '6'))).toBe('US$6 / 千克')
    expect(priceRange(price('8.00', '6.00'))).toBe('US$6–8 / 千克')
  })

  it('keeps the decimals that matter and groups thousands', () => {
    expect(priceRange(price('6.50', '7.25'))).toBe('US$6.50–7.25 / 千克')
    expect(priceRange(price('12000.00', '15000.50', { unit: 'container_20ft' }), 'en')).toBe(
      'US$12,000–15,000.50 / 20 ft container',
    )
    expect(amount('0.125')).toBe('0.125')
    expect(amount('1234567')).toBe('1,234,567')
  })

  it('writes an unknown currency by its code, and a known one in lower case by its sign', () => {
    expect(priceRange(price('6.00', '8.00', { currency: 'XPF' }))).toBe('XPF 6–8 / 千克')
    expect(priceRange(price('6.00', '8.00', { currency: 'cny' }))).toBe('¥6–8 / 千克')
    expect(priceRange(price('6.00', '8.00', { currency: 'NZD' }))).toBe('NZ$6–8 / 千克')
  })

  it('leaves out an empty unit, keeps an unknown one as it is', () => {
    expect(priceRange(price('6.00', '8.00', { unit: '' }))).toBe('US$6–8')
    expect(priceRange(price('6.00', '8.00', { unit: 'sack' }))).toBe('US$6–8 / sack')
  })

  it('shows nothing without a price or without amounts', () => {
    expect(priceRange(null)).toBe('')
    expect(priceRange(price(null, null))).toBe('')
    expect(priceRange(price('', 'abc'))).toBe('')
  })
})

describe('moqText', () => {
  it('reads 起订 in Chinese and MOQ in English, the unit translated', () => {
    expect(moqText({ quantity: '500.00', unit: 'kg' }, 'zh-hans')).toBe('起订 500 千克')
    expect(moqText({ quantity: '500.00', unit: 'kg' }, 'en')).toBe('MOQ 500 kg')
    expect(moqText({ quantity: '1.00', unit: 'container_40ft' }, 'zh-hans')).toBe('起订 1 个40英尺集装箱')
  })

  it('uses the plural in English, groups thousands, keeps decimals', () => {
    expect(moqText({ quantity: '2000.00', unit: 'carton' }, 'en')).toBe('MOQ 2,000 cartons')
    expect(moqText({ quantity: '1.00', unit: 'carton' }, 'en')).toBe('MOQ 1 carton')
    expect(moqText({ quantity: '0.50', unit: 'tonne' }, 'zh-hans')).toBe('起订 0.50 吨')
  })

  it('shows nothing without a MOQ, and the number alone without a unit', () => {
    expect(moqText(null, 'zh-hans')).toBe('')
    expect(moqText({ quantity: '100.00', unit: '' }, 'zh-hans')).toBe('起订 100')
  })
})

describe('unitLabel', () => {
  it('names every unit of the API in both languages', () => {
    for (const code of [
      'kg',
      'tonne',
      'litre',
      'piece',
      'carton',
      'bottle',
      'container_20ft',
      'container_40ft',
    ]) {
      expect(unitLabel(code, 'zh-hans')).toMatch(/[\u4e00-\u9fff]/)
      expect(unitLabel(code, 'en')).not.toMatch(/_/)
    }
  })
})
