import { describe, expect, it } from 'vitest'

import type { Suggestion } from '../src/api/types'
import { createSuggestions, suggestionList } from '../src/lib/suggestions'

/** A hand-driven timer and API: what was asked, and answers given when the test says. */
function setup() {
  const timers: { run: () => void; ms: number; cleared: boolean }[] = []
  const asked: { text: string; answer: (list: Suggestion[]) => void; fail: () => void }[] = []
  const shown: [string, string[]][] = []
  const suggestions = createSuggestions({
    fetch: (text) =>
      new Promise((answer, fail) =>
        asked.push({ text, answer: (list) => answer(list), fail: () => fail(new Error('x')) }),
      ),
    show: (text, list) => shown.push([text, list.map((item) => item.text)]),
    setTimer: (run, ms) => {
      const timer = { run, ms, cleared: false }
      timers.push(timer)
      return timer
    },
    clearTimer: (timer) => void ((timer as { cleared: boolean }).cleared = true),
  })
  const pause = () =>
    timers.filter((timer) => !timer.cleared).forEach((timer) => ((timer.cleared = true), timer.run()))
  const settle = () => new Promise((done) => setTimeout(done, 0))
  return { suggestions, timers, asked, shown, pause, settle }
}

const items = (...texts: string[]): Suggestion[] => texts.map((text) => ({ text, kind: 'product' }))

describe('suggestions as the buyer types', () => {
  it('asks once the typing pauses, for what the box says then', async () => {
    const t = setup()
    t.suggestions.update('x')
    t.suggestions.update('xi')
    t.suggestions.update('xia ')
    expect(t.timers.map((timer) => timer.ms)).toEqual([250, 250, 250])
    t.pause()
    expect(t.asked.map((request) => request.text)).toEqual(['xia'])
    t.asked[0].answer(items('香草', '香草荚'))
    await t.settle()
    expect(t.shown).toEqual([['xia', ['香草', '香草荚']]])
  })

  it('never lets a slower earlier answer replace the answer to what is typed now', async () => {
    const t = setup()
    t.suggestions.update('xiang')
    t.pause()
    t.suggestions.update('香')
    t.pause()
    t.asked[1].answer(items('香草'))
    await t.settle()
    t.asked[0].answer(items('xiang cao'))
    await t.settle()
    expect(t.shown).toEqual([['香', ['香草']]])
  })

  it('hides the list for an empty box at once, and shows kept answers without asking', async () => {
    const t = setup()
    t.suggestions.update('kava')
    t.pause()
    t.asked[0].answer(items('kava root'))
    await t.settle()
    t.suggestions.update('  ')
    t.suggestions.update('kava')
    expect(t.asked).toHaveLength(1)
    expect(t.shown).toEqual([
      ['kava', ['kava root']],
      ['', []],
      ['kava', ['kava root']],
    ])
  })

  it('shows none when the request fails, and nothing after the screen closed', async () => {
    const t = setup()
    t.suggestions.update('noni')
    t.pause()
    t.asked[0].fail()
    await t.settle()
    expect(t.shown).toEqual([['noni', []]])
    t.suggestions.update('coco')
    t.pause()
    t.suggestions.cancel()
    t.asked[1].answer(items('coconut'))
    await t.settle()
    expect(t.shown).toHaveLength(1)
  })

  it('reads the API answer as a list or as a page', () => {
    expect(suggestionList(items('a'))).toHaveLength(1)
    expect(suggestionList({ results: items('a', 'b') })).toHaveLength(2)
    expect(suggestionList(null)).toEqual([])
  })
})
