import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'

import type { ProductCard as Card } from '../../api/types'
import { currentLanguage, t } from '../../i18n'
import { moqText, priceRange } from '../../lib/format'
import { imageUrl, pageUrl } from '../../lib/route'
import './index.css'

interface Props {
  product: Card
  /** 'grid': two columns, photo on top (home, results); 'row': photo left (收藏). */
  layout?: 'grid' | 'row'
  /** Extra controls at the end of a row (收藏's 取消收藏). */
  action?: ReactNode
}

export function openProduct(id: number) {
  Taro.navigateTo({ url: pageUrl('pages/product/detail', { id }) })
}

/**
 * A product as a buyer scans a list: photo in a fixed 4:3 box (nothing jumps while it
 * loads), name in two lines at most, the price range in the accent colour, MOQ, origin.
 */
export function ProductCard({ product, layout = 'grid', action }: Props) {
  const price = priceRange(product.price, currentLanguage())
  const moq = moqText(product.moq, currentLanguage())
  return (
    <View
      className={`pcard pcard--${layout}`}
      hoverClass="pcard--pressed"
      onClick={() => openProduct(product.id)}
    >
      <View className="pcard__media">
        {product.thumbnail ? (
          <Image
            className="pcard__img"
            src={imageUrl(product.thumbnail.url, process.env.TARO_APP_API_BASE || '')}
            mode="aspectFill"
            lazyLoad
          />
        ) : null}
        {product.featured && layout === 'grid' ? (
          <Text className="pcard__badge">{t('card.featured')}</Text>
        ) : null}
      </View>
      <View className="pcard__body">
        <Text className="pcard__name">{product.name}</Text>
        <Text className={price ? 'pcard__price' : 'pcard__price pcard__price--ask'}>
          {price || t('card.priceOnRequest')}
        </Text>
        <View className="pcard__meta">
          {moq ? <Text className="pcard__moq">{moq}</Text> : null}
          {product.country ? <Text className="pcard__country">{product.country.name}</Text> : null}
        </View>
        {action ? <View className="pcard__action">{action}</View> : null}
      </View>
    </View>
  )
}
