import { Image, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'

import { api, catalogue } from '../../api'
import type { CollectionDetail } from '../../api/types'
import { ProductGrid } from '../../components/product-grid'
import { SectionHeader } from '../../components/section-header'
import { StateView } from '../../components/state'
import { useApi } from '../../hooks/useApi'
import { t } from '../../i18n'
import { imageUrl, param } from '../../lib/route'
import './index.css'

export default function Collection() {
  const slug = param(useRouter().params.slug)
  const collection = useApi<CollectionDetail>(
    slug ? `collection:${slug}` : null,
    () => catalogue.collection(slug),
    () => api.peek<CollectionDetail>(`collections/${encodeURIComponent(slug)}/`),
  )
  const data = collection.data
  useEffect(() => {
    Taro.setNavigationBarTitle({ title: data?.title || t('browse.collectionTitle') })
  }, [data?.title])

  if (!data) {
    return (
      <View className="collection">
        <StateView loading={collection.loading} error={collection.error} onRetry={collection.reload} />
      </View>
    )
  }
  return (
    <View className="collection">
      <View className="collection__cover">
        {data.cover ? (
          <Image
            className="collection__img"
            src={imageUrl(data.cover.url, process.env.TARO_APP_API_BASE || '')}
            mode="aspectFill"
          />
        ) : null}
      </View>
      <View className="collection__head">
        <Text className="collection__title">{data.title}</Text>
        {data.description ? <Text className="collection__description">{data.description}</Text> : null}
      </View>
      <SectionHeader title={`${t('collection.products')} · ${data.products.length}`} />
      {data.products.length ? (
        <ProductGrid products={data.products} />
      ) : (
        <StateView loading={false} empty onRetry={collection.reload} />
      )}
      <View className="collection__bottom" />
    </View>
  )
}
