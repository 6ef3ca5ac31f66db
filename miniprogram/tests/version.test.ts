import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

import { APP_VERSION } from '../src/lib/version'

describe('APP_VERSION', () => {
  it('is the version in package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(APP_VERSION).toBe(manifest.version)
  })
})
