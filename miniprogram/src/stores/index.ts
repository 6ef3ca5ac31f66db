// The app's stores, on the phone's storage. Screens import them from here.
import { taroStore } from '../lib/taroStorage'
import { createRecentSearches } from './recentSearches'

export const recentSearches = createRecentSearches(taroStore)
export { favouriteStore } from './favourites'
