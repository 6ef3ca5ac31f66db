import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { useRef } from 'react'

import { favourites } from '../../api'
import type { ProductCard as Card } from '../../api/types'
import { ListFooter } from '../../components/list-footer'
import { ProductCard } from '../../components/product-card'
import { StateView } from '../../components/state'
import { usePaged } from '../../hooks/usePaged'
import { t } from '../../i18n'
import { favouriteStore } from '../../stores/favourites'
import './index.css'

/** 收藏: the buyer's saved products, newest first. Signs in silently on first use. */
export default function Favourites() {
  const list = usePaged<Card>(
    'favourites',
    () => favourites.list(),
    (path) => favourites.list(path),
  )
  const shown = useRef(false)
  useDidShow(() => {
    Taro.setNavigationBarTitle({ title: t('browse.favouritesTitle') })
    // Saved or unsaved on a product page since: refresh, keeping the list on screen meanwhile.
    if (shown.current) list.reload(list.items.length > 0)
    shown.current = true
  })
  useReachBottom(() => list.loadMore())
  usePullDownRefresh(() => {
    list.reload(true)
    Taro.stopPullDownRefresh()
  })

  const unsave = async (product: Card) => {
    const index = list.items.findIndex((item) => item.id === product.id)
    list.remove(product.id)
    try {
      favouriteStore.remember(product.id, true)
      // The row going away says it; a toast only when it fails.
      await favouriteStore.toggle(product.id)
    } catch {
      list.restore(product, index)
      Taro.showToast({ title: t('favourites.unsaveFailed'), icon: 'none' })
    }
  }

  if (list.phase === 'loading' || list.phase === 'error') {
    return (
      <View className="favourites">
        <StateView loading={list.phase === 'loading'} error={list.error} onRetry={() => list.reload()} />
      </View>
    )
  }
  if (!list.items.length) {
    return (
      <View className="favourites favourites__empty">
        <Text className="favourites__empty-title">{t('favourites.empty')}</Text>
        <Text className="favourites__empty-hint">{t('favourites.emptyHint')}</Text>
        <Text
          className="favourites__empty-action"
          onClick={() => Taro.switchTab({ url: '/pages/home/index' })}
        >
          {t('favourites.goHome')}
        </Text>
      </View>
    )
  }
  return (
    <View className="favourites">
      <View className="favourites__list">
        {list.items.map((product) => (
          <ProductCard
            key={product.id}
            product={product}
            layout="row"
            action={
              <Text
                className="favourites__unsave"
                onClick={(event) => {
                  event.stopPropagation()
                  unsave(product)
                }}
              >
                {t('card.unsave')}
              </Text>
            }
          />
        ))}
      </View>
      <ListFooter list={list} />
    </View>
  )
}
