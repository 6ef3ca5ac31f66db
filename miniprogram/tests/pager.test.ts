import { describe, expect, it } from 'vitest'

import { ApiError } from '../src/api/client'
import type { Page } from '../src/api/types'
import { fromPage, hasMore, moreFailed, startMore, withMore, without } from '../src/lib/pager'

type Card = { id: number }

function page(ids: number[], next: string | null, count = 5): Page<Card> {
  return { count, next, previous: null, results: ids.map((id) => ({ id })) }
}

describe('infinite scroll', () => {
  it('appends each next page and stops at the end', () => {
    let list = fromPage(page([1, 2], '/api/v1/products/?page=2'))
    expect(hasMore(list)).toBe(true)
    list = withMore(startMore(list)!, page([3, 4], '/api/v1/products/?page=3'))
    list = withMore(startMore(list)!, page([5], null))
    expect(list.items.map((card) => card.id)).toEqual([1, 2, 3, 4, 5])
    expect(hasMore(list)).toBe(false)
    expect(startMore(list)).toBeNull()
  })

  it('asks once while a page is on its way, however often the bottom is reached', () => {
    const list = startMore(fromPage(page([1, 2], '/next')))!
    expect(list.loadingMore).toBe(true)
    expect(startMore(list)).toBeNull()
  })

  it('does not show an item twice when the list moved between pages', () => {
    const list = withMore(fromPage(page([5, 4], '/next')), page([4, 3], null))
    expect(list.items.map((card) => card.id)).toEqual([5, 4, 3])
  })

  it('keeps the list when a page fails, and lets the buyer ask again', () => {
    const offline = new ApiError(0, 'network', '网络不给力，请检查网络后重试')
    const list = moreFailed(startMore(fromPage(page([1, 2], '/next')))!, offline)
    expect(list).toMatchObject({ loadingMore: false, moreError: offline })
    expect(list.items).toHaveLength(2)
    expect(startMore(list)).toMatchObject({ loadingMore: true, moreError: undefined })
  })

  it('takes an unsaved product out of 收藏 with the count', () => {
    const list = without(fromPage(page([1, 2, 3], null, 3)), 2)
    expect(list.items.map((card) => card.id)).toEqual([1, 3])
    expect(list.count).toBe(2)
  })
})

describe('did you mean', () => {
  it('keeps the first page’s near spelling while more pages come, and is empty without one', () => {
    const first = { ...page([], '/next', 4), did_you_mean: 'vanilla' }
    const list = withMore(startMore(fromPage(first))!, page([1, 2], null, 4))
    expect(fromPage(first).didYouMean).toBe('vanilla')
    expect(list.didYouMean).toBe('vanilla')
    expect(fromPage(page([1], null)).didYouMean).toBe('')
  })
})
