import { Image, Text, View } from '@tarojs/components'
import Taro, { useReachBottom, useRouter } from '@tarojs/taro'
import { useEffect } from 'react'

import { api, catalogue } from '../../api'
import type { Exporter as ExporterData, Page, ProductCard } from '../../api/types'
import { ListFooter } from '../../components/list-footer'
import { ProductGrid } from '../../components/product-grid'
import { SectionHeader } from '../../components/section-header'
import { StateView } from '../../components/state'
import { useApi } from '../../hooks/useApi'
import { usePaged } from '../../hooks/usePaged'
import { t } from '../../i18n'
import { imageUrl, param } from '../../lib/route'
import './index.css'

const API_BASE = process.env.TARO_APP_API_BASE || ''

export default function Exporter() {
  const id = Number(param(useRouter().params.id))
  const valid = Number.isInteger(id) && id > 0
  const exporter = useApi<ExporterData>(
    valid ? `exporter:${id}` : null,
    () => catalogue.exporter(id),
    () => api.peek<ExporterData>(`exporters/${id}/`),
  )
  const products = usePaged<ProductCard>(
    valid && exporter.data ? `exporter-products:${id}` : null,
    () => catalogue.products({ exporter: id }),
    (path) => catalogue.more<ProductCard>(path),
    () => api.peek<Page<ProductCard>>('products/', { exporter: id }),
  )
  useReachBottom(() => products.loadMore())
  const data = exporter.data
  useEffect(() => {
    Taro.setNavigationBarTitle({ title: data?.name || t('browse.exporterTitle') })
  }, [data?.name])

  if (!data) {
    return (
      <View className="exporter">
        <StateView
          loading={valid && exporter.loading}
          error={exporter.error}
          empty={!valid}
          onRetry={exporter.reload}
        />
      </View>
    )
  }
  const facts = [
    data.country?.name,
    data.founded ? t('exporter.founded', { year: data.founded }) : '',
    data.sector ? t('exporter.sector', { sector: data.sector }) : '',
    data.gacc_registration_number ? t('gacc.fact', { number: data.gacc_registration_number }) : '',
  ].filter(Boolean)
  return (
    <View className="exporter">
      <View className="exporter__card">
        <View className="exporter__head">
          <View className="exporter__logo">
            {data.logo ? (
              <Image
                className="exporter__logo-img"
                src={imageUrl(data.logo.url, API_BASE)}
                mode="aspectFit"
              />
            ) : (
              <Text className="exporter__logo-letter">{Array.from(data.name)[0]}</Text>
            )}
          </View>
          <View className="exporter__names">
            <Text className="exporter__name">{data.name}</Text>
            {data.verified ? (
              <View className="exporter__verified">
                <Text className="exporter__verified-mark">✓</Text>
                <Text>{t('exporter.verified')}</Text>
              </View>
            ) : null}
          </View>
        </View>
        {facts.length ? (
          <View className="exporter__facts">
            {facts.map((fact) => (
              <Text key={fact} className="exporter__fact">
                {fact}
              </Text>
            ))}
          </View>
        ) : null}
        {data.certifications.length ? (
          <View className="exporter__block">
            <Text className="exporter__block-title">{t('exporter.certifications')}</Text>
            <View className="exporter__certs">
              {data.certifications.map((certification) => (
                <Text key={certification.code} className="exporter__cert">
                  {certification.name}
                </Text>
              ))}
            </View>
          </View>
        ) : null}
        {data.description ? (
          <View className="exporter__block">
            <Text className="exporter__block-title">{t('exporter.about')}</Text>
            <Text className="exporter__description">{data.description}</Text>
          </View>
        ) : null}
      </View>

      <SectionHeader title={`${t('exporter.products')} · ${products.count ?? data.product_count}`} />
      {products.phase === 'loading' || products.phase === 'error' ? (
        <StateView
          loading={products.phase === 'loading'}
          error={products.error}
          onRetry={() => products.reload()}
        />
      ) : products.items.length === 0 ? (
        <StateView loading={false} empty onRetry={() => products.reload()} />
      ) : (
        <View>
          <ProductGrid products={products.items} />
          <ListFooter list={products} />
        </View>
      )}
    </View>
  )
}
