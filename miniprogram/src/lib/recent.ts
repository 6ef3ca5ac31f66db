// Recent searches kept on the phone: newest first, no repeats, at most RECENT_LIMIT.
// Platform-free (Vitest); src/stores/recentSearches.ts binds it to Taro's storage.
import type { KeyValueStore } from './storage'

export const RECENT_KEY = 'pti.recentSearches'
export const RECENT_LIMIT = 10

export function createRecentSearches(store: KeyValueStore) {
  const read = (): string[] => {
    const kept = store.get<unknown>(RECENT_KEY)
    return Array.isArray(kept) ? kept.filter((item): item is string => typeof item === 'string') : []
  }
  return {
    list: read,
    add(query: string) {
      const text = query.trim()
      if (!text) return
      const rest = read().filter((item) => item.toLowerCase() !== text.toLowerCase())
      store.set(RECENT_KEY, [text, ...rest].slice(0, RECENT_LIMIT))
    },
    clear: () => store.remove(RECENT_KEY),
  }
}
