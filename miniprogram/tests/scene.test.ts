import { describe, expect, it } from 'vitest'

import { productIdFrom } from '../src/lib/scene'

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
