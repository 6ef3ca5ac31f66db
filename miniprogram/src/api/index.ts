// The request module bound to Taro: the screens import `api` and the endpoint functions here.
import Taro from '@tarojs/taro'

import { currentLanguage } from '../i18n'
import { taroStore } from '../lib/taroStorage'
import { platform } from '../platform'
import { createClient, failureKind, lowerCaseHeaders, TransportFailure, type Transport } from './client'

const transport: Transport = async ({ url, method, headers, data, timeout }) => {
  try {
    const answer = await Taro.request({
      url,
      method,
      header: headers,
      data,
      timeout,
      dataType: 'json',
      // H5 (fetch): the request module keeps answers and revalidates them itself, as on
      // WeChat, which has no HTTP cache. Without this the browser's cache would keep a second
      // copy (the API says `Cache-Control: no-cache`, which allows storing) and revalidate
      // it with its own If-None-Match. WeChat ignores the option. Taro's type lacks 'no-store'.
      ...(process.env.TARO_ENV === 'h5' ? { cache: 'no-store' as unknown as 'no-cache' } : {}),
    })
    return { status: answer.statusCode, headers: lowerCaseHeaders(answer.header), data: answer.data }
  } catch (error) {
    // WeChat: {errMsg: 'request:fail timeout'} or 'request:fail ...'; H5: fetch's TypeError, or
    // an AbortError when Taro aborts it at `timeout`.
    throw new TransportFailure(failureKind(error))
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
export { idempotencyKeys, newIdempotencyKey } from './idempotency'
export * from './catalogue'
