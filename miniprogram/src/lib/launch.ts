import Taro from '@tarojs/taro'

import { productIdFrom } from './scene'

const PRODUCT_PAGE = 'pages/product/detail'

/** Opens the product a code or a link names, when the app starts somewhere else with it. */
export function openFromLaunch(options: { path?: string; query?: Record<string, string> }) {
  if ((options.path ?? '').replace(/^\//, '') === PRODUCT_PAGE) return // the page reads it itself
  const id = productIdFrom(options.query)
  if (id) Taro.navigateTo({ url: `/${PRODUCT_PAGE}?id=${id}` })
}
