import { describe, expect, it } from 'vitest'

import { ApiError } from '../src/api/client'
import type { Page } from '../src/api/types'
import {
  canLoadMore,
  firstFailed,
  firstLoaded,
  moreFailed,
  moreLoaded,
  moreStarted,
  nextPath,
  start,
  without,
} from '../src/lib/paging'

type Item = { id: number }
const page = (ids: number[], next: string | null, count = 5): Page<Item> => ({
  count,
  next,
  previous: null,
  results: ids.map((id) => ({ id })),
})
const failure = new ApiError(0, 'network', '网络不给力')

describe('an infinite list', () => {
  it('shows a kept first page at once and does not load more until the fresh one came', () => {
    const state = start(page([1, 2], 'http://x/api/v1/products/?page=2'))
    expect(state.phase).toBe('refreshing')
    expect(state.items.map((item) => item.id)).toEqual([1, 2])
    expect(canLoadMore(state)).toBe(false)
    expect(canLoadMore(firstLoaded(state, page([1, 2], 'next')))).toBe(true)
  })

  it('appends the next page without repeating an item that shifted between pages', () => {
    const first = firstLoaded(start<Item>(), page([1, 2, 3], 'p2'))
    const loading = moreStarted(first)
    expect(loading.loadingMore).toBe(true)
    expect(canLoadMore(loading)).toBe(false)
    const second = moreLoaded(loading, page([3, 4, 5], null))
    expect(second.items.map((item) => item.id)).toEqual([1, 2, 3, 4, 5])
    expect(second.next).toBeNull()
    expect(canLoadMore(second)).toBe(false)
  })

  it('keeps the list when the next page fails, and offers it again', () => {
    const first = firstLoaded(start<Item>(), page([1, 2], 'p2'))
    const failed = moreFailed(moreStarted(first), failure)
    expect(failed.items).toHaveLength(2)
    expect(failed.moreError).toBe(failure)
    expect(failed.next).toBe('p2')
    expect(moreStarted(failed).moreError).toBeUndefined()
  })

  it('shows the error when the first page fails with nothing kept, the kept page otherwise', () => {
    expect(firstFailed(start<Item>(), failure).phase).toBe('error')
    const kept = firstFailed(start(page([1], null, 1)), failure)
    expect(kept.phase).toBe('ready')
    expect(kept.items).toHaveLength(1)
  })

  it('takes an item out and lowers the total', () => {
    const state = without(firstLoaded(start<Item>(), page([1, 2, 3], null, 3)), 2)
    expect(state.items.map((item) => item.id)).toEqual([1, 3])
    expect(state.count).toBe(2)
    expect(without(state, 9).count).toBe(2)
  })
})

describe('nextPath', () => {
  it('keeps the path under /api/v1/ whatever origin the server put in front', () => {
    expect(nextPath('http://10.0.0.5:8000/api/v1/products/?page=2&q=%E9%A6%99')).toBe(
      'products/?page=2&q=%E9%A6%99',
    )
    expect(nextPath('https://api.example.com/api/v1/favourites/?page=3')).toBe('favourites/?page=3')
    expect(nextPath('products/?page=2')).toBe('products/?page=2')
  })
})
