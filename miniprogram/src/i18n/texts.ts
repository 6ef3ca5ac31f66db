// Every text the screens show, in Chinese and English. Keys are grouped by screen.
const zh = {
  'tab.home': '首页',
  'tab.favourites': '收藏',
  'tab.inquiries': '我的询价',
  'tab.me': '我的',
  'common.retry': '重试',
  'common.loading': '加载中…',
  'common.empty': '暂无内容',
  'common.end': '没有更多了',
  'search.placeholder': '搜索商品、产地或供应商',
}

export type TextKey = keyof typeof zh

const en: Record<TextKey, string> = {
  'tab.home': 'Home',
  'tab.favourites': 'Saved',
  'tab.inquiries': 'Inquiries',
  'tab.me': 'Me',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'common.empty': 'Nothing here yet',
  'common.end': 'No more',
  'search.placeholder': 'Search products, countries or suppliers',
}

export const TEXTS: Record<'zh-hans' | 'en', Record<TextKey, string>> = { 'zh-hans': zh, en }
