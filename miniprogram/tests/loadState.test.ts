import { describe, expect, it } from 'vitest'

import { ApiError } from '../src/api/client'
import { failed, initialState, started, stateFor, succeeded, toApiError } from '../src/hooks/loadState'

const offline = new ApiError(0, 'network', '网络不给力，请检查网络后重试')

describe('what useApi shows', () => {
  it('shows the kept answer at once, then the fresh one', () => {
    let state = initialState('home', () => ({ v: 'kept' }))
    expect(state).toMatchObject({ data: { v: 'kept' }, loading: false })
    state = started(state, 'home')
    expect(state).toMatchObject({ data: { v: 'kept' }, loading: false, refreshing: true })
    state = succeeded(state, 'home', { v: 'fresh' })
    expect(state).toMatchObject({ data: { v: 'fresh' }, loading: false, refreshing: false })
  })

  it('is loading when nothing is kept, and waits without loading for a null key', () => {
    expect(initialState('home', () => undefined)).toMatchObject({ data: undefined, loading: true })
    expect(initialState(null, () => ({ v: 1 }))).toMatchObject({ data: undefined, loading: false })
  })

  it("shows the new key's kept answer at once when the key changes, never the old key's data", () => {
    const kept: Record<string, string> = { 'products/1': 'one', 'products/2': 'two' }
    let state = succeeded(
      started(initialState<string>('products/1'), 'products/1'),
      'products/1',
      'one fresh',
    )
    expect(stateFor(state, 'products/2', () => kept['products/2']).data).toBe('two')
    expect(stateFor(state, 'products/3', () => kept['products/3'])).toMatchObject({
      data: undefined,
      loading: true,
    })
    state = started(state, 'products/2', () => kept['products/2'])
    expect(state).toMatchObject({ key: 'products/2', data: 'two', refreshing: true })
  })

  it('ignores a late answer or failure of the previous key', () => {
    const state = started(initialState<string>('products/2'), 'products/2')
    expect(succeeded(state, 'products/1', 'one')).toBe(state)
    expect(failed(state, 'products/1', offline)).toBe(state)
  })

  it('keeps the data on screen when a refresh fails, and reports it aside', () => {
    let state = started(
      initialState('home', () => 'kept'),
      'home',
    )
    state = failed(state, 'home', offline)
    expect(state).toMatchObject({ data: 'kept', error: undefined, refreshError: offline, loading: false })
    state = succeeded(started(state, 'home'), 'home', 'fresh')
    expect(state.refreshError).toBeUndefined()
  })

  it('shows the error state with nothing kept, and loading again on retry', () => {
    let state = failed(started(initialState<string>('home'), 'home'), 'home', offline)
    expect(state).toMatchObject({ data: undefined, error: offline, loading: false })
    state = started(state, 'home')
    expect(state).toMatchObject({ error: undefined, loading: true })
  })

  it('survives a peek that throws', () => {
    expect(
      initialState('home', () => {
        throw new Error('storage')
      }),
    ).toMatchObject({ data: undefined, loading: true })
  })
})

describe('toApiError', () => {
  it('passes ApiErrors on and gives anything else a message in the buyer’s language', () => {
    expect(toApiError(offline, 'en')).toBe(offline)
    expect(toApiError(new TypeError('x is undefined'), 'zh-hans')).toMatchObject({
      code: 'unknown',
      message: '出了点问题，请稍后重试',
    })
    expect(toApiError('boom', 'en').message).toBe('Something went wrong. Please try again.')
  })
})
