// The H5 preview (local use and the browser tests): no WeChat, so sign-in uses the WeChat
// stand-in's codes, `valid-<user>#<nonce>`. The user is `demo-buyer` (the demo data's 王经理)
// unless the page was opened with ?user=<name>, which is then remembered.
import type { Platform } from './index'

const USER_KEY = 'pti.h5.user'

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
    link.click()
    return true
  },
}
