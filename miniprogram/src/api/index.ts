// The request module bound to Taro: the screens import `api` and the endpoint functions here.
import Taro from '@tarojs/taro'

import { currentLanguage } from '../i18n'
import type { KeyValueStore } from '../lib/storage'
import { platform } from '../platform'
import { createClient, TransportFailure, type Transport } from './client'

const taroStore: KeyValueStore = {
  get: <T>(key: string) => {
    const value = Taro.getStorageSync(key)
    return value === '' || value === undefined ? undefined : (value as T)
  },
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
}

const transport: Transport = async ({ url, method, headers, data, timeout }) => {
  try {
    const answer = await Taro.request({ url, method, header: headers, data, timeout, dataType: 'json' })
    const lower: Record<string, string> = {}
    for (const [name, value] of Object.entries(answer.header ?? {})) lower[name.toLowerCase()] = String(value)
    return { status: answer.statusCode, headers: lower, data: answer.data }
  } catch (error) {
    const message = String((error as { errMsg?: string })?.errMsg ?? error)
    throw new TransportFailure(/timeout/i.test(message) ? 'timeout' : 'network')
  }
}

export const api = createClient({
  baseUrl: process.env.TARO_APP_API_BASE || '',
  transport,
  store: taroStore,
  login: () => platform.login(),
  language: currentLanguage,
})

export { ApiError } from './client'
export * from './catalogue'
