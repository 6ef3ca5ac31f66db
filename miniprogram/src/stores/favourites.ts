// Which products the buyer saved, shared by the product page and the 收藏 tab. Signing in
// happens silently on the first save (the request module's `auth: 'required'`).
import { favourites as endpoints } from '../api/catalogue'

type Listener = () => void

const saved = new Map<number, boolean>()
const listeners = new Set<Listener>()

function changed() {
  listeners.forEach((listener) => listener())
}

export const favouriteStore = {
  /** What the API last said (product page: is_favourite), or undefined when unknown. */
  isSaved: (productId: number) => saved.get(productId),
  remember(productId: number, value: boolean) {
    saved.set(productId, value)
    changed()
  },
  async toggle(productId: number): Promise<boolean> {
    const next = !saved.get(productId)
    saved.set(productId, next) // shown at once; put back if the request fails
    changed()
    try {
      await (next ? endpoints.add(productId) : endpoints.remove(productId))
      return next
    } catch (error) {
      saved.set(productId, !next)
      changed()
      throw error
    }
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
