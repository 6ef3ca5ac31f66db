// Suggestions as the buyer types (搜索): asked for once the typing pauses, only the answer to
// what is in the box now is shown (an earlier, slower answer never replaces it), answers kept
// for the texts already asked, a failure shows none (the buyer can still search). Pure over
// its timer: tests/suggestions.test.ts.
import type { Suggestion } from '../api/types'

export interface SuggestionsOptions {
  fetch: (text: string) => Promise<Suggestion[] | { results: Suggestion[] }>
  /** Called with the text the suggestions are for, and them (empty to hide the list). */
  show: (text: string, suggestions: Suggestion[]) => void
  /** The pause in typing before asking, in ms (250). */
  delay?: number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export interface Suggestions {
  /** The box now says `text`. */
  update(text: string): void
  /** The screen closes: nothing more is shown. */
  cancel(): void
}

/** The API's answer as a list (a list, or a page of one). */
export function suggestionList(
  answer: Suggestion[] | { results: Suggestion[] } | null | undefined,
): Suggestion[] {
  if (Array.isArray(answer)) return answer
  return Array.isArray(answer?.results) ? answer.results : []
}

const KEPT = 30

export function createSuggestions(options: SuggestionsOptions): Suggestions {
  const delay = options.delay ?? 250
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms))
  const clearTimer =
    options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>))
  const kept = new Map<string, Suggestion[]>()
  let latest = ''
  let timer: unknown
  let closed = false

  function shown(text: string, suggestions: Suggestion[]) {
    if (!closed && text === latest) options.show(text, suggestions)
  }

  function ask(text: string) {
    options.fetch(text).then(
      (answer) => {
        const list = suggestionList(answer)
        kept.set(text, list)
        if (kept.size > KEPT) kept.delete(kept.keys().next().value as string)
        shown(text, list)
      },
      () => shown(text, []),
    )
  }

  return {
    update(value) {
      const text = value.trim().replace(/\s+/g, ' ')
      if (timer !== undefined) clearTimer(timer)
      timer = undefined
      latest = text
      if (!text) return shown(text, [])
      const known = kept.get(text)
      if (known) return shown(text, known)
      timer = setTimer(() => {
        timer = undefined
        ask(text)
      }, delay)
    },
    cancel() {
      closed = true
      if (timer !== undefined) clearTimer(timer)
      timer = undefined
    },
  }
}
