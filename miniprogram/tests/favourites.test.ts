import { describe, expect, it } from 'vitest'

import { ApiError } from '../src/api/client'
import { createFavouriteStore } from '../src/stores/favouriteStore'

/** Endpoints that record what was sent and answer when told to. */
function endpoints() {
  const sent: string[] = []
  const waiting: { settle: (error?: Error) => void }[] = []
  const call = (what: string) =>
    new Promise<void>((done, fail) => {
      sent.push(what)
      waiting.push({ settle: (error) => (error ? fail(error) : done()) })
    })
  return {
    sent,
    waiting,
    add: (id: number) => call(`PUT ${id}`),
    remove: (id: number) => call(`DELETE ${id}`),
  }
}

const tick = () => new Promise((done) => setTimeout(done, 0))

describe('favourites', () => {
  it('shows a save at once and tells the screens', async () => {
    const api = endpoints()
    const store = createFavouriteStore(api)
    let told = 0
    store.subscribe(() => told++)
    const saving = store.toggle(7)
    expect(store.isSaved(7)).toBe(true)
    expect(told).toBe(1)
    await tick()
    api.waiting[0].settle()
    expect(await saving).toBe(true)
    expect(api.sent).toEqual(['PUT 7'])
  })

  it('puts it back when the request fails', async () => {
    const api = endpoints()
    const store = createFavouriteStore(api)
    store.remember(7, true)
    const removing = store.toggle(7)
    expect(store.isSaved(7)).toBe(false)
    await tick()
    api.waiting[0].settle(new ApiError(0, 'network', '网络不给力，请检查网络后重试'))
    await expect(removing).rejects.toBeInstanceOf(ApiError)
    expect(store.isSaved(7)).toBe(true)
  })

  it('sends quick taps one after another, so the API ends where the screen does', async () => {
    const api = endpoints()
    const store = createFavouriteStore(api)
    const first = store.toggle(7)
    const second = store.toggle(7)
    expect(store.isSaved(7)).toBe(false)
    await tick()
    expect(api.sent).toEqual(['PUT 7']) // the DELETE waits for the PUT
    api.waiting[0].settle()
    await tick()
    expect(api.sent).toEqual(['PUT 7', 'DELETE 7'])
    api.waiting[1].settle()
    expect(await Promise.all([first, second])).toEqual([true, false])
    expect(store.isSaved(7)).toBe(false)
  })

  it('does not undo a later tap when an earlier request fails', async () => {
    const api = endpoints()
    const store = createFavouriteStore(api)
    const first = store.toggle(7)
    const second = store.toggle(7)
    await tick()
    api.waiting[0].settle(new Error('offline'))
    await expect(first).rejects.toThrow('offline')
    await tick()
    api.waiting[1].settle()
    await second
    expect(store.isSaved(7)).toBe(false)
  })
})
