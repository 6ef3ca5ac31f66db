// The favourites store's logic over its two requests (tests/favourites.test.ts); the app's
// instance, on the API, is `favouriteStore` in ./favourites.ts.
type Listener = () => void

export interface FavouriteEndpoints {
  add(productId: number): Promise<unknown>
  remove(productId: number): Promise<unknown>
}

export interface FavouriteStore {
  /** What the API last said (product page: is_favourite), or undefined when unknown. */
  isSaved(productId: number): boolean | undefined
  remember(productId: number, value: boolean): void
  /**
   * Saves or unsaves: shown at once, put back if the request fails. Taps in quick succession
   * send their requests one after another, so the API ends where the screen does.
   */
  toggle(productId: number): Promise<boolean>
  subscribe(listener: Listener): () => void
}

export function createFavouriteStore(endpoints: FavouriteEndpoints): FavouriteStore {
  const saved = new Map<number, boolean>()
  const listeners = new Set<Listener>()
  const queues = new Map<number, Promise<unknown>>()

  function set(productId: number, value: boolean) {
    saved.set(productId, value)
    listeners.forEach((listener) => listener())
  }

  return {
    isSaved: (productId) => saved.get(productId),
    remember: set,
    async toggle(productId) {
      const before = Boolean(saved.get(productId))
      const next = !before
      set(productId, next)
      const previous = queues.get(productId) ?? Promise.resolve()
      const request = previous
        .catch(() => undefined)
        .then(() => (next ? endpoints.add(productId) : endpoints.remove(productId)))
      queues.set(productId, request)
      try {
        await request
        return next
      } catch (error) {
        // Put it back, unless a later tap has changed it since.
        if (saved.get(productId) === next) set(productId, before)
        throw error
      } finally {
        if (queues.get(productId) === request) queues.delete(productId)
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
