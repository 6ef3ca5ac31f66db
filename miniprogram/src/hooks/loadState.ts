// What useApi shows, as pure functions of its state (tests/loadState.test.ts): the kept answer
// at once, then the fresh one; the data stays on screen while it refreshes; a failure is an
// ApiError with a message in the buyer's language.
import { ApiError } from '../api/client'
import { errorText, type Language } from '../i18n/errors'

export interface LoadState<T> {
  /** The request these fields belong to. */
  key: string | null
  data: T | undefined
  /** Why there is nothing to show (set only when `data` is undefined). */
  error: ApiError | undefined
  /** Why the data on screen could not be refreshed (it stays on screen: a toast at most). */
  refreshError: ApiError | undefined
  /** Nothing to show yet: the loading state. */
  loading: boolean
  /** A request is on its way while data is shown. */
  refreshing: boolean
}

/** The state for `key` before its request answers: its kept answer, or loading. */
export function initialState<T>(key: string | null, peek?: () => T | undefined): LoadState<T> {
  let data: T | undefined
  if (key !== null && peek) {
    try {
      data = peek()
    } catch {
      data = undefined
    }
  }
  return {
    key,
    data,
    error: undefined,
    refreshError: undefined,
    loading: key !== null && data === undefined,
    refreshing: false,
  }
}

/** What is on screen for `key`: the state if it is `key`'s, else `key`'s kept answer (never another key's data). */
export function stateFor<T>(
  state: LoadState<T>,
  key: string | null,
  peek?: () => T | undefined,
): LoadState<T> {
  return state.key === key ? state : initialState(key, peek)
}

/** A request for `key` starts (first load, or reload). */
export function started<T>(
  state: LoadState<T>,
  key: string | null,
  peek?: () => T | undefined,
): LoadState<T> {
  const current = stateFor(state, key, peek)
  const shown = current.data !== undefined
  return { ...current, error: undefined, loading: !shown, refreshing: shown }
}

/** The fresh answer for `key` came (ignored if the screen moved on to another key). */
export function succeeded<T>(state: LoadState<T>, key: string | null, data: T): LoadState<T> {
  if (state.key !== key) return state
  return { key, data, error: undefined, refreshError: undefined, loading: false, refreshing: false }
}

/** The request for `key` failed: the error state, or the data kept on screen with `refreshError`. */
export function failed<T>(state: LoadState<T>, key: string | null, error: ApiError): LoadState<T> {
  if (state.key !== key) return state
  if (state.data !== undefined) return { ...state, refreshError: error, loading: false, refreshing: false }
  return { ...state, error, refreshError: undefined, loading: false, refreshing: false }
}

/** Any failure as an ApiError (the request module's are already; a bug in a loader is not). */
export function toApiError(failure: unknown, language: Language): ApiError {
  if (failure instanceof ApiError) return failure
  return new ApiError(0, 'unknown', errorText(language, 'unknown'))
}
