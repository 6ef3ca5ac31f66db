import { useCallback, useEffect, useRef, useState } from 'react'

import { ApiError } from '../api/client'
import type { Page } from '../api/types'
import { currentLanguage } from '../i18n'
import { errorText } from '../i18n/errors'
import { fromPage, moreFailed, startMore, withMore, without, type Paged } from '../lib/pager'

function asApiError(failure: unknown): ApiError {
  return failure instanceof ApiError
    ? failure
    : new ApiError(0, 'unknown', errorText(currentLanguage(), 'unknown'))
}

/**
 * The API's `next` as a path under /api/v1/: the request module puts its own origin in front,
 * so a link the server built with another host, or with http:// behind a TLS proxy (WeChat
 * refuses http), still works.
 */
function nextPath(next: string): string {
  const at = next.indexOf('/api/v1/')
  return at === -1 ? next : next.slice(at + '/api/v1/'.length)
}

interface State<T> {
  list: Paged<T> | undefined
  /** 'loading': nothing to show yet; 'refreshing': the kept first page is shown, the fresh one is on its way. */
  phase: 'loading' | 'refreshing' | 'ready' | 'error'
  /** Why the first page is missing (the error state with its retry). */
  error?: ApiError
}

function start<T>(kept: Page<T> | undefined): State<T> {
  return kept ? { list: fromPage(kept), phase: 'refreshing' } : { list: undefined, phase: 'loading' }
}

export interface PagedList<T> {
  items: T[]
  /** The API's total, or null before the first answer. */
  count: number | null
  next: string | null
  phase: State<T>['phase']
  error?: ApiError
  loadingMore: boolean
  /** The next page failed: the list stays, a retry shows at its bottom. */
  moreError?: ApiError
  /** A search's near spelling that finds products, "" when none (pager.ts). */
  didYouMean: string
  /** Loads the next page when there is one (the page's useReachBottom, or the retry at the bottom). */
  loadMore: () => void
  /** Loads the first page again; `quiet` keeps the list on screen meanwhile (useDidShow). */
  reload: (quiet?: boolean) => void
  remove: (id: number) => void
  /** Puts an item back where it was (an unsave that failed). */
  restore: (item: T, index: number) => void
}

/**
 * An infinite list (the logic: lib/pager.ts): the kept first page at once (`peek`), then the
 * fresh one, then each `next` page by `more`. `key` names the query; a new key starts over,
 * null waits. A first page that fails keeps a kept one on screen.
 */
export function usePaged<T extends { id: number }>(
  key: string | null,
  first: () => Promise<Page<T>>,
  more: (path: string) => Promise<Page<T>>,
  peek?: () => Page<T> | undefined,
): PagedList<T> {
  const [state, setState] = useState<State<T>>(() => start(key ? peek?.() : undefined))
  const stateRef = useRef(state)
  stateRef.current = state
  const calls = useRef({ first, more, peek })
  calls.current = { first, more, peek }
  const [round, setRound] = useState(0)
  const quietRef = useRef(false)
  // Answers to an older query (or an older round) are dropped.
  const generation = useRef(0)

  useEffect(() => {
    if (key === null) return
    const mine = ++generation.current
    if (!quietRef.current) setState(start(calls.current.peek?.()))
    quietRef.current = false
    calls.current.first().then(
      (page) => mine === generation.current && setState({ list: fromPage(page), phase: 'ready' }),
      (failure) =>
        mine === generation.current &&
        setState((current) =>
          current.list?.items.length
            ? { ...current, phase: 'ready' }
            : { list: undefined, phase: 'error', error: asApiError(failure) },
        ),
    )
  }, [key, round])

  const loadMore = useCallback(() => {
    const current = stateRef.current
    if (current.phase !== 'ready') return
    const asked = startMore(current.list)
    if (!asked) return
    const mine = generation.current
    stateRef.current = { ...current, list: asked }
    setState(stateRef.current)
    calls.current.more(nextPath(asked.next!)).then(
      (page) =>
        mine === generation.current &&
        setState((latest) => ({ ...latest, list: latest.list && withMore(latest.list, page) })),
      (failure) =>
        mine === generation.current &&
        setState((latest) => ({
          ...latest,
          list: latest.list && moreFailed(latest.list, asApiError(failure)),
        })),
    )
  }, [])

  const reload = useCallback((quiet = false) => {
    quietRef.current = quiet
    setRound((value) => value + 1)
  }, [])
  const remove = useCallback(
    (id: number) => setState((current) => ({ ...current, list: current.list && without(current.list, id) })),
    [],
  )
  const restore = useCallback(
    (item: T, index: number) =>
      setState((current) => {
        const list = current.list
        if (!list || list.items.some((entry) => entry.id === item.id)) return current
        const items = [...list.items]
        items.splice(Math.min(index, items.length), 0, item)
        return { ...current, list: { ...list, items, count: list.count + 1 } }
      }),
    [],
  )

  const list = state.list
  return {
    items: list?.items ?? [],
    count: list ? list.count : null,
    next: list?.next ?? null,
    phase: state.phase,
    error: state.error,
    loadingMore: list?.loadingMore ?? false,
    moreError: list?.moreError,
    didYouMean: list?.didYouMean ?? '',
    loadMore,
    reload,
    remove,
    restore,
  }
}
