// Infinite scroll over the API's pages (results, category, country, exporter, 收藏): the first
// page, then each `next` appended once. Pure: tests/pager.test.ts.
//
//   const first = useApi(key, () => catalogue.products(params), () => kept.products(params))
//   const [list, setList] = useState(() => first.data && fromPage(first.data))
//   onReachBottom: const asked = startMore(list); if (!asked) return; setList(asked)
//     catalogue.more<ProductCard>(asked.next!).then((page) => setList((s) => s && withMore(s, page)),
//                                                  (error) => setList((s) => s && moreFailed(s, error)))
import type { ApiError } from '../api/client'
import type { Page } from '../api/types'

export interface Paged<T> {
  items: T[]
  /** How many there are in all (the API's count). */
  count: number
  /** The next page's address, null at the end. */
  next: string | null
  /** A next page is on its way: onReachBottom fires often, one request is enough. */
  loadingMore: boolean
  /** The last next page failed: show it at the bottom; scrolling again (or a tap) retries. */
  moreError: ApiError | undefined
  /** A search's near spelling that finds products (the first page's `did_you_mean`), "" when none. */
  didYouMean: string
}

type Key<T> = (item: T) => unknown

const byId = <T>(item: T) => (item as { id?: unknown }).id

/** The list as its first page gives it. */
export function fromPage<T>(page: Page<T>): Paged<T> {
  return {
    items: [...page.results],
    count: page.count,
    next: page.next,
    loadingMore: false,
    moreError: undefined,
    didYouMean: page.did_you_mean ?? '',
  }
}

/** Whether the bottom of the list may ask for more. */
export function hasMore<T>(state: Paged<T> | undefined): boolean {
  return Boolean(state && state.next && !state.loadingMore)
}

/** The state while the next page loads, or null when there is none to ask for (or one is on its way). */
export function startMore<T>(state: Paged<T> | undefined): Paged<T> | null {
  if (!state || !hasMore(state)) return null
  return { ...state, loadingMore: true, moreError: undefined }
}

/**
 * The next page appended. An item already shown is not shown twice (a product published
 * meanwhile moves every later one a page on); `key` names items (their `id`).
 */
export function withMore<T>(state: Paged<T>, page: Page<T>, key: Key<T> = byId): Paged<T> {
  const shown = new Set(state.items.map(key))
  const added = page.results.filter((item) => {
    const name = key(item)
    if (name !== undefined && shown.has(name)) return false
    shown.add(name)
    return true
  })
  return {
    ...state,
    items: [...state.items, ...added],
    count: page.count,
    next: page.next,
    loadingMore: false,
    moreError: undefined,
  }
}

/** The next page failed: the list stays, with the error at its bottom. */
export function moreFailed<T>(state: Paged<T>, error: ApiError): Paged<T> {
  return { ...state, loadingMore: false, moreError: error }
}

/** Takes one item out (收藏: unsaved), keeping the count right. */
export function without<T>(state: Paged<T>, name: unknown, key: Key<T> = byId): Paged<T> {
  const items = state.items.filter((item) => key(item) !== name)
  return { ...state, items, count: Math.max(0, state.count - (state.items.length - items.length)) }
}
