// Suggestions as the buyer types: `GET search/suggestions/?q=` answers up to 10 `{text, kind}`.
// Platform-free (Vitest).
import { ApiError } from '../api/client'
import type { Suggestion } from '../api/types'

export const SUGGEST_DELAY_MS = 250
const KINDS = new Set<Suggestion['kind']>(['product', 'category', 'country', 'exporter', 'term'])

/** The API's answer as a list (a bare list, or a page), with unknown kinds shown as terms. */
export function suggestionsFrom(answer: Suggestion[] | { results: Suggestion[] } | undefined): Suggestion[] {
  const list = Array.isArray(answer) ? answer : (answer?.results ?? [])
  return list
    .filter((item) => item && typeof item.text === 'string' && item.text.trim())
    .slice(0, 10)
    .map((item) => ({ text: item.text, kind: KINDS.has(item.kind) ? item.kind : 'term' }))
}

/**
 * Fetches suggestions; never fails: suggestions are a help, not a screen. A 404 (an API
 * without the endpoint) or any other failure shows none.
 */
export async function fetchSuggestions(
  query: string,
  load: (query: string) => Promise<Suggestion[] | { results: Suggestion[] }>,
): Promise<Suggestion[]> {
  const text = query.trim()
  if (!text) return []
  try {
    return suggestionsFrom(await load(text))
  } catch (error) {
    if (error instanceof ApiError) return []
    throw error
  }
}

/** Calls `run` once the buyer stops typing for `delay` ms; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(run: (...args: A) => void, delay = SUGGEST_DELAY_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const debounced = (...args: A) => {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      run(...args)
    }, delay)
  }
  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  return debounced
}
