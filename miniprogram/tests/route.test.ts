import { describe, expect, it } from 'vitest'

import { imageUrl, pageUrl, param } from '../src/lib/route'

describe('page addresses', () => {
  it('encodes Chinese values and leaves out empty ones', () => {
    expect(pageUrl('pages/results/index', { country: 'FJ', title: '斐济', q: '' })).toBe(
      '/pages/results/index?country=FJ&title=%E6%96%90%E6%B5%8E',
    )
    expect(pageUrl('/pages/search/index')).toBe('/pages/search/index')
  })

  it('reads a parameter encoded or not', () => {
    expect(param('%E9%A6%99%E8%8D%89')).toBe('香草')
    expect(param('香草')).toBe('香草')
    expect(param('100%纯')).toBe('100%纯')
    expect(param(undefined)).toBe('')
  })

  it('puts the API origin before a relative media path only', () => {
    expect(imageUrl('/media/a.webp', 'https://api.example.com/')).toBe('https://api.example.com/media/a.webp')
    expect(imageUrl('/media/a.webp', '')).toBe('/media/a.webp')
    expect(imageUrl('https://cdn.example.com/a.webp', 'https://api.example.com')).toBe(
      'https://cdn.example.com/a.webp',
    )
  })
})
