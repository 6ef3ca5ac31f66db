// The phone's storage through Taro (wx.*StorageSync; localStorage on H5), as a KeyValueStore.
import Taro from '@tarojs/taro'

import type { KeyValueStore } from './storage'

export const taroStore: KeyValueStore = {
  get: <T>(key: string) => {
    try {
      const value = Taro.getStorageSync(key)
      return value === '' || value === undefined || value === null ? undefined : (value as T)
    } catch {
      return undefined
    }
  },
  // Throws when storage is full (WeChat: 10 MB, 1 MB a key; H5: localStorage's quota); the
  // callers catch it.
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
}
