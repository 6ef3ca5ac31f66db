// Recent searches, kept on the phone for the search screen: newest first, each once, at most
// 10, clearable. Pure over a KeyValueStore (tests/recentSearches.test.ts); the app's own,
// on the phone's storage, is `recentSearches` in src/stores/index.ts.
import type { KeyValueStore } from '../lib/storage'

export const RECENT_SEARCHES_KEY = 'pti.recentSearches'
const LIMIT = 10
const LONGEST = 50

export interface RecentSearches {
  /** Newest first. */
  list(): string[]
  /** Puts `term` first (once: an earlier search that differs only in case or spaces goes); returns the list. */
  add(term: string): string[]
  /** Takes one term out (the × on a chip); returns the list. */
  remove(term: string): string[]
  /** 清空 */
  clear(): void
  subscribe(listener: (terms: string[]) => void): () => void
}

/** A search as it is kept: trimmed, inner spaces as one, at most 50 characters. */
export function normaliseTerm(term: string): string {
  return Array.from(
    String(term ?? '')
      .trim()
      .replace(/\s+/g, ' '),
  )
    .slice(0, LONGEST)
    .join('')
    .trim()
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

export function createRecentSearches(store: KeyValueStore, limit = LIMIT): RecentSearches {
  const listeners = new Set<(terms: string[]) => void>()

  function list(): string[] {
    let kept: unknown
    try {
      kept = store.get<unknown>(RECENT_SEARCHES_KEY)
    } catch {
      return []
    }
    if (!Array.isArray(kept)) return []
    return kept.filter((term): term is string => typeof term === 'string' && term !== '').slice(0, limit)
  }

  function save(terms: string[]): string[] {
    try {
      if (terms.length) store.set(RECENT_SEARCHES_KEY, terms)
      else store.remove(RECENT_SEARCHES_KEY)
    } catch {
      // Storage full: the search still runs, it is only not remembered.
    }
    listeners.forEach((listener) => listener(terms))
    return terms
  }

  return {
    list,
    add(term) {
      const clean = normaliseTerm(term)
      if (!clean) return list()
      return save([clean, ...list().filter((kept) => !same(kept, clean))].slice(0, limit))
    },
    remove(term) {
      const clean = normaliseTerm(term)
      return save(list().filter((kept) => !same(kept, clean)))
    },
    clear() {
      save([])
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
