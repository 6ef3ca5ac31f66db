// The H5 preview (local use and the browser tests): no WeChat, so sign-in uses the WeChat
// stand-in's codes, `valid-<user>#<nonce>`. The user is `demo-buyer` (the demo data's 王经理)
// unless the page was opened with ?user=<name>, which is then remembered.
import Taro from '@tarojs/taro'

import type { Platform, PosterContext } from './index'

const USER_KEY = 'pti.h5.user'

// Taro's H5 tab bar items are <a href="javascript:;">: following that address would run an
// inline script, which the page's Content-Security-Policy refuses (and reports). The tab's own
// click handler does the navigation, so the link's default action is simply not taken.
document.addEventListener(
  'click',
  (event) => {
    if ((event.target as Element | null)?.closest?.('a[href^="javascript:"]')) event.preventDefault()
  },
  true,
)

function currentUser(): string {
  const match = /[?&]user=([\w-]+)/.exec(window.location.search + window.location.hash)
  if (match) window.localStorage.setItem(USER_KEY, match[1])
  return window.localStorage.getItem(USER_KEY) || 'demo-buyer'
}

export const platform: Platform = {
  async login() {
    const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
    return `valid-${currentUser()}#${nonce}`
  },
  canShareCard: false,
  async saveImage(url) {
    const link = document.createElement('a')
    link.href = url
    link.download = 'pti-poster.png'
    document.body.appendChild(link)
    link.click()
    link.remove()
    return true
  },
  previewImages(urls, current) {
    // Taro's H5 previewImage: a full-screen swiper with pinch zoom; a tap closes it.
    Taro.previewImage({ urls, current }).catch(() => undefined)
  },
  async posterCanvas(_canvasId, width, height, ratio) {
    const canvas = document.createElement('canvas')
    canvas.width = width * ratio
    canvas.height = height * ratio
    const context = canvas.getContext('2d')
    if (!context) throw new Error('no 2d canvas')
    context.scale(ratio, ratio)
    return {
      context: context as unknown as PosterContext,
      loadImage: (url) =>
        new Promise((done, fail) => {
          const image = new Image()
          image.crossOrigin = 'anonymous'
          image.onload = () => done({ source: image, width: image.naturalWidth, height: image.naturalHeight })
          image.onerror = fail
          image.src = url
        }),
      toFile: async () => canvas.toDataURL('image/png'),
    }
  },
  call(phone) {
    window.location.href = `tel:${phone}`
  },
}
