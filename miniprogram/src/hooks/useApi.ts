import { useCallback, useEffect, useRef, useState } from 'react'

import { ApiError } from '../api/client'
import { currentLanguage } from '../i18n'
import { errorText } from '../i18n/errors'

export interface Loaded<T> {
  data: T | undefined
  error: ApiError | undefined
  /** True until the first answer (kept or fresh) is on screen. */
  loading: boolean
  reload: () => void
}

/**
 * Loads what a screen shows: the kept answer at once (`peek`), then the fresh one. `key`
 * names the request; null waits (e.g. for a page parameter).
 */
export function useApi<T>(key: string | null, load: () => Promise<T>, peek?: () => T | undefined): Loaded<T> {
  const [data, setData] = useState<T | undefined>(() => (key ? peek?.() : undefined))
  const [error, setError] = useState<ApiError>()
  const [loading, setLoading] = useState(data === undefined && key !== null)
  const [round, setRound] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load

  useEffect(() => {
    if (key === null) return
    let current = true
    setError(undefined)
    loadRef
      .current()
      .then((fresh) => current && setData(fresh))
      .catch(
        (failure) =>
          current &&
          setError(
            failure instanceof ApiError
              ? failure
              : new ApiError(0, 'unknown', errorText(currentLanguage(), 'unknown')),
          ),
      )
      .finally(() => current && setLoading(false))
    return () => {
      current = false
    }
  }, [key, round])

  const reload = useCallback(() => {
    setLoading(true)
    setRound((value) => value + 1)
  }, [])
  return { data, error, loading, reload }
}
