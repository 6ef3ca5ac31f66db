import Taro from '@tarojs/taro'

import { productToOpen } from './scene'

/** Opens the product a Mini Program code names, when the app starts somewhere else with it. */
export function openFromLaunch(options: { path?: string; query?: Record<string, string> }) {
  const id = productToOpen(options)
  if (id) Taro.navigateTo({ url: `/pages/product/detail?id=${id}` })
}
