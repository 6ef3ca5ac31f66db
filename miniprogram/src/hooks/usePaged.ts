import { useCallback, useEffect, useRef, useState } from 'react'

import { ApiError } from '../api/client'
import type { Page } from '../api/types'
import { currentLanguage } from '../i18n'
import { errorText } from '../i18n/errors'
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
  type Paged,
} from '../lib/paging'

function asApiError(failure: unknown): ApiError {
  return failure instanceof ApiError
    ? failure
    : new ApiError(0, 'unknown', errorText(currentLanguage(), 'unknown'))
}

export interface PagedList<T> extends Paged<T> {
  /** Loads the next page when there is one (the page's useReachBottom, or the retry at the bottom). */
  loadMore: () => void
  /** Loads the first page again; `quiet` keeps the list on screen meanwhile (useDidShow). */
  reload: (quiet?: boolean) => void
  remove: (id: number) => void
  restore: (item: T, index: number) => void
}

/**
 * An infinite list: the kept first page at once (`peek`), then the fresh one, then each
 * `next` page by `more`. `key` names the query; a new key starts over, null waits.
 */
export function usePaged<T extends { id: number }>(
  key: string | null,
  first: () => Promise<Page<T>>,
  more: (path: string) => Promise<Page<T>>,
  peek?: () => Page<T> | undefined,
): PagedList<T> {
  const [state, setState] = useState<Paged<T>>(() => start(key ? peek?.() : undefined))
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
    calls.current
      .first()
      .then((page) => mine === generation.current && setState((current) => firstLoaded(current, page)))
      .catch(
        (failure) =>
          mine === generation.current && setState((current) => firstFailed(current, asApiError(failure))),
      )
  }, [key, round])

  const loadMore = useCallback(() => {
    const current = stateRef.current
    if (!canLoadMore(current) && !(current.moreError && current.next)) return
    if (current.loadingMore) return
    const mine = generation.current
    setState(moreStarted(current))
    stateRef.current = moreStarted(current)
    calls.current
      .more(nextPath(current.next!))
      .then((page) => mine === generation.current && setState((latest) => moreLoaded(latest, page)))
      .catch(
        (failure) =>
          mine === generation.current && setState((latest) => moreFailed(latest, asApiError(failure))),
      )
  }, [])

  const reload = useCallback((quiet = false) => {
    quietRef.current = quiet
    setRound((value) => value + 1)
  }, [])
  const remove = useCallback((id: number) => setState((current) => without(current, id)), [])
  const restore = useCallback(
    (item: T, index: number) =>
      setState((current) => {
        if (current.items.some((entry) => entry.id === item.id)) return current
        const items = [...current.items]
        items.splice(Math.min(index, items.length), 0, item)
        return { ...current, items, count: current.count === null ? null : current.count + 1 }
      }),
    [],
  )
  return { ...state, loadMore, reload, remove, restore }
}
