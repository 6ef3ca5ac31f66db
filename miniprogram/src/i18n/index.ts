// The buyer's language: Chinese unless they chose English in 我的. Every request sends it
// (Accept-Language), so the API's texts and errors come in it too.
import Taro from '@tarojs/taro'

import type { Language } from './errors'
import { TEXTS, type TextKey } from './texts'

const LANGUAGE_KEY = 'pti.language'
let language: Language | undefined

export function currentLanguage(): Language {
  language ??= Taro.getStorageSync(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-hans'
  return language
}

/** Switches the language and reopens the app on the home screen, so every screen redraws. */
export function setLanguage(next: Language) {
  language = next
  Taro.setStorageSync(LANGUAGE_KEY, next)
  Taro.reLaunch({ url: '/pages/home/index' })
}

export function t(key: TextKey, values?: Record<string, string | number>): string {
  let text: string = TEXTS[currentLanguage()][key]
  for (const [name, value] of Object.entries(values ?? {})) text = text.replace(`{${name}}`, String(value))
  return text
}

const TABS: TextKey[] = ['tab.home', 'tab.favourites', 'tab.inquiries', 'tab.me']

/** The tab bar's labels in the buyer's language (app.config.ts has the Chinese ones). */
export function labelTabBar() {
  if (currentLanguage() === 'zh-hans') return
  TABS.forEach((key, index) => Taro.setTabBarItem({ index, text: t(key) }).catch(() => undefined))
}

export type { Language, TextKey }
