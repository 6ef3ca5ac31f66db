import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { ApiError } from '../src/api/client'
import { debounce, fetchSuggestions, suggestionsFrom } from '../src/lib/suggest'

describe('suggestions', () => {
  it('reads a bare list or a page, at most ten, unknown kinds as terms', () => {
    const many = Array.from({ length: 12 }, (_, index) => ({
      text: `香草${index}`,
      kind: 'product' as const,
    }))
    expect(suggestionsFrom(many)).toHaveLength(10)
    expect(suggestionsFrom({ results: [{ text: '斐济', kind: 'country' }] })).toEqual([
      { text: '斐济', kind: 'country' },
    ])
    expect(
      suggestionsFrom([
        { text: 'vanilla', kind: 'brand' as never },
        { text: ' ', kind: 'term' },
      ]),
    ).toEqual([{ text: 'vanilla', kind: 'term' }])
  })

  it('shows none when the API has no such endpoint (404) or fails, and asks nothing for blank input', async () => {
    const missing = () => Promise.reject(new ApiError(404, 'not_found', '未找到'))
    expect(await fetchSuggestions('xiang', missing)).toEqual([])
    const load = vi.fn()
    expect(await fetchSuggestions('   ', load)).toEqual([])
    expect(load).not.toHaveBeenCalled()
  })

  it('asks with the trimmed text', async () => {
    const load = vi.fn().mockResolvedValue([{ text: '香草荚', kind: 'product' }])
    expect(await fetchSuggestions(' xc ', load)).toEqual([{ text: '香草荚', kind: 'product' }])
    expect(load).toHaveBeenCalledWith('xc')
  })
})

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('runs once, with the last input, after the buyer stops typing for 250 ms', () => {
    const run = vi.fn()
    const typed = debounce(run)
    typed('x')
    vi.advanceTimersByTime(200)
    typed('xi')
    vi.advanceTimersByTime(249)
    expect(run).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(run).toHaveBeenCalledTimes(1)
    expect(run).toHaveBeenCalledWith('xi')
  })

  it('drops a pending call when cancelled', () => {
    const run = vi.fn()
    const typed = debounce(run)
    typed('x')
    typed.cancel()
    vi.advanceTimersByTime(1000)
    expect(run).not.toHaveBeenCalled()
  })
})
