// The buyer's recent searches, kept on the phone (Taro storage) and clearable from 搜索.
import Taro from '@tarojs/taro'

import { createRecentSearches } from '../lib/recent'

export const recentSearches = createRecentSearches({
  get: <T>(key: string) => {
    const value = Taro.getStorageSync(key)
    return value === '' || value === undefined ? undefined : (value as T)
  },
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
})
