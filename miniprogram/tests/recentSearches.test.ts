import { describe, expect, it } from 'vitest'

import { memoryStore, type KeyValueStore } from '../src/lib/storage'
import { createRecentSearches, normaliseTerm, RECENT_SEARCHES_KEY } from '../src/stores/recentSearches'

describe('recent searches', () => {
  it('keeps them newest first, on the phone', () => {
    const store = memoryStore()
    const recent = createRecentSearches(store)
    recent.add('香草')
    recent.add('kava')
    expect(recent.list()).toEqual(['kava', '香草'])
    // Another screen (or the app opened again) reads the same list from storage.
    expect(createRecentSearches(store).list()).toEqual(['kava', '香草'])
  })

  it('keeps each once: searching again moves it first, whatever its case or spaces', () => {
    const recent = createRecentSearches(memoryStore())
    recent.add('Vanilla beans')
    recent.add('诺丽果')
    expect(recent.add('  vanilla   BEANS ')).toEqual(['vanilla BEANS', '诺丽果'])
  })

  it('keeps at most 10', () => {
    const recent = createRecentSearches(memoryStore())
    for (let i = 1; i <= 12; i++) recent.add(`term ${i}`)
    expect(recent.list()).toHaveLength(10)
    expect(recent.list()[0]).toBe('term 12')
    expect(recent.list()[9]).toBe('term 3')
  })

  it('ignores empty searches and cuts long ones at 50 characters', () => {
    const recent = createRecentSearches(memoryStore())
    expect(recent.add('   ')).toEqual([])
    expect(normaliseTerm('香'.repeat(80))).toHaveLength(50)
    expect(normaliseTerm('🍍'.repeat(60))).toBe('🍍'.repeat(50)) // whole characters, no half emoji
  })

  it('removes one and clears all', () => {
    const store = memoryStore()
    const recent = createRecentSearches(store)
    recent.add('香草')
    recent.add('kava')
    expect(recent.remove('KAVA')).toEqual(['香草'])
    recent.clear()
    expect(recent.list()).toEqual([])
    expect(store.get(RECENT_SEARCHES_KEY)).toBeUndefined()
  })

  it('tells subscribers, until they unsubscribe', () => {
    const recent = createRecentSearches(memoryStore())
    const seen: string[][] = []
    const stop = recent.subscribe((terms) => seen.push(terms))
    recent.add('香草')
    stop()
    recent.add('kava')
    expect(seen).toEqual([['香草']])
  })

  it('survives storage that is full or holds something else', () => {
    const store = memoryStore()
    store.set(RECENT_SEARCHES_KEY, { not: 'a list' })
    expect(createRecentSearches(store).list()).toEqual([])
    const full: KeyValueStore = {
      ...memoryStore(),
      set: () => {
        throw new Error('setStorageSync:fail exceed storage max size 10MB')
      },
    }
    expect(createRecentSearches(full).add('香草')).toEqual(['香草'])
  })
})
