import { describe, expect, it } from 'vitest'

import { supportLines } from '../src/lib/support'

describe('supportLines', () => {
  it('lists the contacts the API gave, phone first, empty ones left out', () =>
    expect(
      supportLines({
        support: { email: 'buyers@pti.example', phone: '+86 21 5555 0100', hours: ' ', wechat: '' },
      }),
    ).toEqual([
      { key: 'phone', value: '+86 21 5555 0100' },
      { key: 'email', value: 'buyers@pti.example' },
    ]))
  it('gives nothing when app-config/ did not answer or has no support', () => {
    expect(supportLines(undefined)).toEqual([])
    expect(supportLines({ privacy_policy_version: '2026-11' })).toEqual([])
  })
})
