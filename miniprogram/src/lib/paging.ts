// An infinite list's state as the browsing screens use it (results, exporter, 收藏): the
// first page (or the kept one, shown at once), then each `next` page appended. Pure
// functions, so Vitest checks them; src/hooks/usePaged.ts runs them in React.
import type { ApiError } from '../api/client'
import type { Page } from '../api/types'

export interface Paged<T> {
  items: T[]
  /** The API's total, or null before the first answer. */
  count: number | null
  next: string | null
  /** 'loading': nothing to show yet; 'refreshing': the kept page is shown, the fresh one is on its way. */
  phase: 'loading' | 'refreshing' | 'ready' | 'error'
  /** The first page failed (shown instead of the list when there is nothing kept). */
  error?: ApiError
  loadingMore: boolean
  /** The next page failed: the list stays, a retry shows at its bottom. */
  moreError?: ApiError
}

export function start<T>(kept?: Page<T>): Paged<T> {
  return kept
    ? { items: kept.results, count: kept.count, next: kept.next, phase: 'refreshing', loadingMore: false }
    : { items: [], count: null, next: null, phase: 'loading', loadingMore: false }
}

export function firstLoaded<T>(_state: Paged<T>, page: Page<T>): Paged<T> {
  return { items: page.results, count: page.count, next: page.next, phase: 'ready', loadingMore: false }
}

export function firstFailed<T>(state: Paged<T>, error: ApiError): Paged<T> {
  // A kept page stays on screen: a weak network should not blank what the buyer already saw.
  if (state.items.length) return { ...state, phase: 'ready' }
  return { ...state, phase: 'error', error }
}

export function canLoadMore<T>(state: Paged<T>): boolean {
  return state.phase === 'ready' && Boolean(state.next) && !state.loadingMore
}

export function moreStarted<T>(state: Paged<T>): Paged<T> {
  return { ...state, loadingMore: true, moreError: undefined }
}

export function moreLoaded<T extends { id: number }>(state: Paged<T>, page: Page<T>): Paged<T> {
  // A product published between two pages shifts the list by one: skip what is already shown.
  const seen = new Set(state.items.map((item) => item.id))
  const fresh = page.results.filter((item) => !seen.has(item.id))
  return {
    ...state,
    items: [...state.items, ...fresh],
    count: page.count,
    next: page.next,
    loadingMore: false,
  }
}

export function moreFailed<T>(state: Paged<T>, error: ApiError): Paged<T> {
  return { ...state, loadingMore: false, moreError: error }
}

/** Removes one item at once (unsaved from 收藏), keeping the total honest. */
export function without<T extends { id: number }>(state: Paged<T>, id: number): Paged<T> {
  const items = state.items.filter((item) => item.id !== id)
  const removed = state.items.length - items.length
  return { ...state, items, count: state.count === null ? null : Math.max(0, state.count - removed) }
}

/**
 * The API's `next` as a path under /api/v1/: the request module puts its own origin in front,
 * so a link the server built with another host or with http:// behind a TLS proxy still works
 * (WeChat refuses http).
 */
export function nextPath(next: string): string {
  const at = next.indexOf('/api/v1/')
  return at === -1 ? next : next.slice(at + '/api/v1/'.length)
}
