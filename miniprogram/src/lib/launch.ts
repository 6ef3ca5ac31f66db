import Taro from '@tarojs/taro'

import { productToOpen } from './scene'

/** Opens the product a Mini Program code names, when the app starts somewhere else with it. */
export function openFromLaunch(options: { path?: string; query?: Record<string, string> }) {
  const id = productToOpen(options)
  if (!id) return
  const url = `/pages/product/detail?id=${id}`
  // At launch the first page is not on the stack yet, and a navigateTo then can be lost (seen
  // on H5 on a busy machine): wait for it, two seconds at most, then open the product.
  let waited = 0
  const open = () => {
    if (Taro.getCurrentPages().length === 0 && waited < 2000) {
      waited += 50
      setTimeout(open, 50)
      return
    }
    Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }))
  }
  setTimeout(open, 0)
}
