// Which products the buyer saved, shared by the product page and the 收藏 tab. Signing in
// happens silently on the first save (the request module's `auth: 'required'`). The logic:
// ./favouriteStore.ts.
import { favourites as endpoints } from '../api/catalogue'
import { createFavouriteStore } from './favouriteStore'

export const favouriteStore = createFavouriteStore(endpoints)
