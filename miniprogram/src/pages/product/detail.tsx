import { useEffect, useState } from 'react'
import Taro, { useRouter, useShareAppMessage, useShareTimeline } from '@tarojs/taro'
import { Button, Image, Text, View } from '@tarojs/components'

import { api, catalogue, type ApiError } from '../../api'
import type { Product } from '../../api/types'
import { ProductGallery } from '../../components/product-gallery'
import { StateView } from '../../components/state'
import { useApi } from '../../hooks/useApi'
import { currentLanguage, t, type TextKey } from '../../i18n'
import { moqText } from '../../lib/format'
import { priceParts, priceText } from '../../lib/productText'
import { productIdFrom } from '../../lib/scene'
import { platform } from '../../platform'
import { favouriteStore } from '../../stores/favourites'
import starIcon from '../../assets/product/star.png'
import starOnIcon from '../../assets/product/star-on.png'
import shareIcon from '../../assets/product/share.png'
import './detail.css'

const PAGE = 'pages/product/detail'

async function loadProduct(id: number): Promise<Product> {
  const product = await catalogue.product(id)
  // Signed in, the answer says whether the buyer saved it; the store keeps that for 收藏 too.
  if (typeof product.is_favourite === 'boolean') favouriteStore.remember(id, product.is_favourite)
  return product
}

/** Whether the buyer saved the product: what the store last heard, else the answer's. */
function useSaved(id: number | null, product: Product | undefined): boolean {
  const [, redraw] = useState(0)
  useEffect(() => favouriteStore.subscribe(() => redraw((value) => value + 1)), [])
  if (!id) return false
  return favouriteStore.isSaved(id) ?? product?.is_favourite ?? false
}

function shareTitle(product: Product): string {
  const price = priceText(product.price, currentLanguage())
  return price ? `${product.name} ${price}` : product.name
}

export default function ProductDetail() {
  const { params } = useRouter()
  const id = productIdFrom(params)
  const path = id ? `products/${id}/` : ''
  const loaded = useApi<Product>(
    id ? `product:${id}` : null,
    () => loadProduct(id!),
    () => (id ? api.peek<Product>(path) : undefined),
  )
  // refreshError: a failed refresh while the kept answer is shown (error: nothing to show).
  const { data, error, loading, reload, refreshError: refreshFailure } = loaded

  const saved = useSaved(id, data)
  const [sheet, setSheet] = useState(false)

  useEffect(() => {
    if (currentLanguage() !== 'zh-hans') Taro.setNavigationBarTitle({ title: t('product.title') })
  }, [])

  useShareAppMessage(() => ({
    title: data ? shareTitle(data) : t('product.title'),
    path: `/${PAGE}?id=${id}`,
    imageUrl: data?.images[0]?.url,
  }))
  useShareTimeline(() => ({
    title: data ? shareTitle(data) : t('product.title'),
    query: `id=${id}`,
    imageUrl: data?.images[0]?.url,
  }))

  if (!id) return <Gone />
  if (!data) {
    if (error?.status === 404) return <Gone />
    return (
      <View className="product">
        {/* The shape of the page while it loads, so nothing jumps when the product arrives */}
        {loading && (
          <View className="skeleton" aria-hidden="true">
            <View className="skeleton__photo" />
            <View className="skeleton__line skeleton__line--price" />
            <View className="skeleton__line skeleton__line--name" />
            <View className="skeleton__line" />
          </View>
        )}
        <StateView loading={loading} error={error} onRetry={reload} />
      </View>
    )
  }

  const product = data
  const openPoster = () => {
    setSheet(false)
    Taro.navigateTo({ url: `/share/poster/index?id=${product.id}` })
  }
  const onShare = () => (platform.canShareCard ? setSheet(true) : openPoster())
  const onFavourite = async () => {
    try {
      const now = await favouriteStore.toggle(product.id)
      Taro.showToast({ title: t(now ? 'product.savedToast' : 'product.unsavedToast'), icon: 'none' })
    } catch (failure) {
      Taro.showToast({ title: (failure as ApiError).message, icon: 'none' })
    }
  }
  // Part 2 of issue 14 builds the inquiry form; until then the button says so.
  const onInquire = () => Taro.showToast({ title: t('product.inquireSoon'), icon: 'none' })

  return (
    <View className="product">
      <ProductGallery images={product.images} name={product.name} />
      <Summary product={product} />
      {refreshFailure && refreshFailure.status !== 404 && (
        <View className="product__stale" onClick={reload}>
          <Text>{refreshFailure.message}</Text>
          <Text className="product__stale-retry">{t('common.retry')}</Text>
        </View>
      )}
      <Facts product={product} />
      {product.certifications.length > 0 && (
        <View className="card">
          <Text className="card__title">{t('product.certifications')}</Text>
          <View className="certs">
            {product.certifications.map((certification) => (
              <Text key={certification.code} className="certs__item">
                {certification.name}
              </Text>
            ))}
          </View>
        </View>
      )}
      {(product.market_access || product.exporter.gacc_registration_number) && (
        <View className="card">
          <Text className="card__title">{t('product.marketAccess')}</Text>
          {product.exporter.gacc_registration_number ? (
            <View className="gacc">
              <Text className="gacc__label">{t('gacc.label')}</Text>
              <Text className="gacc__number" userSelect>
                {product.exporter.gacc_registration_number}
              </Text>
            </View>
          ) : null}
          {product.market_access ? <Text className="access">{product.market_access}</Text> : null}
        </View>
      )}
      {product.description && (
        <View className="card">
          <Text className="card__title">{t('product.description')}</Text>
          <Text className="prose">{product.description}</Text>
        </View>
      )}
      <ExporterCard product={product} />

      <View className="bar">
        <View className="bar__icon" onClick={onFavourite} role="button" aria-pressed={saved}>
          <Image className="bar__glyph" src={saved ? starOnIcon : starIcon} />
          <Text className={saved ? 'bar__label bar__label--on' : 'bar__label'}>
            {t(saved ? 'product.favourited' : 'product.favourite')}
          </Text>
        </View>
        <View className="bar__icon" onClick={onShare} role="button">
          <Image className="bar__glyph" src={shareIcon} />
          <Text className="bar__label">{t('product.share')}</Text>
        </View>
        <Button className="bar__inquire" onClick={onInquire}>
          {t('product.inquire')}
        </Button>
      </View>

      {sheet && (
        <View className="sheet" onClick={() => setSheet(false)}>
          <View className="sheet__panel" onClick={(event) => event.stopPropagation()}>
            <Button className="sheet__item" openType="share" onClick={() => setSheet(false)}>
              {t('product.shareCard')}
            </Button>
            <Button className="sheet__item" onClick={openPoster}>
              {t('product.sharePoster')}
            </Button>
            <Button className="sheet__item sheet__cancel" onClick={() => setSheet(false)}>
              {t('product.cancel')}
            </Button>
          </View>
        </View>
      )}
    </View>
  )
}

function Gone() {
  return (
    <View className="product product--gone">
      <Text className="gone__text">{t('product.gone')}</Text>
      <Button className="gone__home" onClick={() => Taro.switchTab({ url: '/pages/home/index' })}>
        {t('product.browseOthers')}
      </Button>
    </View>
  )
}

function Summary({ product }: { product: Product }) {
  const { amount, unit } = priceParts(product.price, currentLanguage())
  const moq = moqText(product.moq, currentLanguage())
  const origin = [product.country?.name, product.exporter.name].filter(Boolean).join(' · ')
  return (
    <View className="summary">
      <View className="summary__price-row">
        {amount ? (
          <Text className="summary__price">{amount}</Text>
        ) : (
          <Text className="summary__price summary__price--ask">{t('product.priceOnRequest')}</Text>
        )}
        {unit && <Text className="summary__unit">/ {unit}</Text>}
        {product.price?.incoterm && <Text className="summary__incoterm">{product.price.incoterm}</Text>}
      </View>
      <View className="summary__terms">
        {moq && <Text className="summary__moq">{moq}</Text>}
        {amount && <Text className="summary__note">{t('product.priceNote')}</Text>}
      </View>
      <Text className="summary__name">{product.name}</Text>
      {product.summary && <Text className="summary__text">{product.summary}</Text>}
      {origin && <Text className="summary__origin">{origin}</Text>}
    </View>
  )
}

function Facts({ product }: { product: Product }) {
  const rows: [TextKey, string][] = [
    ['product.origin', product.country?.name ?? ''],
    ['product.category', product.category?.name ?? ''],
    ['product.hsCode', product.hs_code],
    ['product.packaging', product.packaging],
    ['product.shelfLife', product.shelf_life],
    ['product.supply', product.supply_capacity],
    ['product.leadTime', product.lead_time],
  ]
  const shown = rows.filter(([, value]) => value)
  if (shown.length === 0) return null
  return (
    <View className="card">
      <Text className="card__title">{t('product.facts')}</Text>
      <View className={currentLanguage() === 'en' ? 'facts facts--en' : 'facts'}>
        {shown.map(([label, value]) => (
          <View key={label} className="facts__row">
            <Text className="facts__label">{t(label)}</Text>
            <Text className="facts__value" userSelect>
              {value}
            </Text>
          </View>
        ))}
      </View>
    </View>
  )
}

function ExporterCard({ product }: { product: Product }) {
  const { exporter } = product
  return (
    <View
      className="card exporter"
      onClick={() => Taro.navigateTo({ url: `/pages/exporter/index?id=${exporter.id}` })}
      role="link"
    >
      <Text className="card__title">{t('product.exporter')}</Text>
      <View className="exporter__row">
        {exporter.logo ? (
          <Image className="exporter__logo" src={exporter.logo.url} mode="aspectFit" webp lazyLoad />
        ) : (
          <View className="exporter__logo exporter__logo--none">
            <Text>{Array.from(exporter.name)[0]}</Text>
          </View>
        )}
        <View className="exporter__text">
          <Text className="exporter__name">{exporter.name}</Text>
          <View className="exporter__meta">
            {exporter.country && <Text className="exporter__country">{exporter.country.name}</Text>}
            {exporter.verified && <Text className="exporter__verified">✓ {t('product.verified')}</Text>}
          </View>
        </View>
        <Text className="exporter__go">{t('product.visitExporter')} ›</Text>
      </View>
    </View>
  )
}
