import { describe, expect, it } from 'vitest'

import { productIdFrom, productToOpen } from '../src/lib/scene'

describe('productIdFrom', () => {
  it('reads a shared link id', () => expect(productIdFrom({ id: '42' })).toBe(42))
  it('reads a Mini Program code scene, encoded as WeChat passes it', () =>
    expect(productIdFrom({ scene: 'p%3D42' })).toBe(42))
  it('reads a decoded scene', () => expect(productIdFrom({ scene: 'p=7' })).toBe(7))
  it('ignores anything else', () => {
    expect(productIdFrom({ scene: 'x=1' })).toBeNull()
    expect(productIdFrom({ id: '-3' })).toBeNull()
    expect(productIdFrom({ scene: '%E0%A4%A' })).toBeNull()
    expect(productIdFrom(undefined)).toBeNull()
  })
})

describe('productToOpen', () => {
  it('opens the product a code names when the app starts on the home page', () =>
    expect(productToOpen({ path: 'pages/home/index', query: { scene: 'p%3D12' } })).toBe(12))
  it('leaves the product page to read its own scene', () =>
    expect(productToOpen({ path: '/pages/product/detail', query: { scene: 'p%3D12' } })).toBeNull())
  it('does not take another page’s id for a product', () => {
    expect(productToOpen({ path: 'share/poster/index', query: { id: '17' } })).toBeNull()
    expect(productToOpen({ path: 'pages/exporter/index', query: { id: '3' } })).toBeNull()
  })
})
