import { describe, expect, it } from 'vitest'

import { idempotencyKeys, newIdempotencyKey } from '../src/api/idempotency'

// inquiries/apis.py: IDEMPOTENCY_KEY = ^[\x21-\x7e]{1,64}$
const ACCEPTED = /^[\x21-\x7e]{1,64}$/

describe('Idempotency-Key', () => {
  it('makes keys the API accepts, a new one each time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey()))
    expect(keys.size).toBe(200)
    for (const key of keys) expect(key).toMatch(ACCEPTED)
    // Without crypto (WeChat has no global crypto): Math.random-like sources work too.
    let seed = 0
    expect(newIdempotencyKey(() => (seed = (seed + 0.37) % 1))).toMatch(ACCEPTED)
  })

  it("keeps one key across the buyer's retries of one inquiry, a new one once it went through", () => {
    let made = 0
    const keys = idempotencyKeys(() => `key-${++made}`)
    const inquiry = { product: 3, quantity: '500', unit: 'kg', message: '请报价' }
    const first = keys.keyFor(inquiry)
    expect(keys.keyFor({ ...inquiry })).toBe(first) // 重试: the same inquiry, the same key
    keys.done()
    expect(keys.keyFor(inquiry)).not.toBe(first)
  })

  it('gives an edited inquiry a new key (the API refuses a key reused with another body)', () => {
    let made = 0
    const keys = idempotencyKeys(() => `key-${++made}`)
    const first = keys.keyFor({ product: 3, quantity: '500' })
    expect(keys.keyFor({ product: 3, quantity: '800' })).not.toBe(first)
  })
})
