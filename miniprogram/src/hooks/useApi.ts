import { useCallback, useEffect, useRef, useState } from 'react'

import type { ApiError } from '../api/client'
import { currentLanguage } from '../i18n'
import { failed, initialState, started, stateFor, succeeded, toApiError } from './loadState'

export interface Loaded<T> {
  data: T | undefined
  /** Why there is nothing to show: the error state with its retry (undefined while data is shown). */
  error: ApiError | undefined
  /** True until the first answer (kept or fresh) is on screen; false while data is refreshed. */
  loading: boolean
  /** A fresh answer is on its way while the kept (or last) one is shown. */
  refreshing: boolean
  /** The refresh of the data on screen failed (it stays shown; a toast at most). */
  refreshError: ApiError | undefined
  reload: () => void
}

/**
 * Loads what a screen shows: the kept answer at once (`peek`), then the fresh one. `key`
 * names the request; null waits (e.g. for a page parameter). When `key` changes, the new
 * key's kept answer shows at once, never the old key's data. The logic: ./loadState.ts.
 */
export function useApi<T>(key: string | null, load: () => Promise<T>, peek?: () => T | undefined): Loaded<T> {
  const [state, setState] = useState(() => initialState(key, peek))
  const [round, setRound] = useState(0)
  const loadRef = useRef(load)
  const peekRef = useRef(peek)
  loadRef.current = load
  peekRef.current = peek

  useEffect(() => {
    if (key === null) {
      setState((previous) => stateFor(previous, null))
      return
    }
    let current = true
    setState((previous) => started(previous, key, peekRef.current))
    loadRef
      .current()
      .then((fresh) => current && setState((previous) => succeeded(previous, key, fresh)))
      .catch(
        (failure) =>
          current && setState((previous) => failed(previous, key, toApiError(failure, currentLanguage()))),
      )
    return () => {
      current = false
    }
  }, [key, round])

  const reload = useCallback(() => setRound((value) => value + 1), [])
  // Until the effect has run for a new key, show that key's kept answer (or its loading state).
  const shown = stateFor(state, key, peek)
  return {
    data: shown.data,
    error: shown.error,
    loading: shown.loading,
    refreshing: shown.refreshing,
    refreshError: shown.refreshError,
    reload,
  }
}
