import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Canvas, Image, Text, View } from '@tarojs/components'

import { api, catalogue } from '../../api'
import type { Product } from '../../api/types'
import { StateView } from '../../components/state'
import { useApi } from '../../hooks/useApi'
import { currentLanguage, t } from '../../i18n'
import { moqText } from '../../lib/format'
import { priceText } from '../../lib/productText'
import { productIdFrom } from '../../lib/scene'
import { platform } from '../../platform'
import { drawPoster, POSTER_HEIGHT, POSTER_WIDTH, type PosterFacts } from './draw'
import './index.css'

const CANVAS_ID = 'poster-canvas'

function factsOf(product: Product): PosterFacts {
  return {
    name: product.name,
    price: priceText(product.price, currentLanguage()) || t('product.priceOnRequest'),
    incoterm: product.price?.incoterm ?? '',
    moq: moqText(product.moq, currentLanguage()),
    origin: [product.country?.name, product.exporter.name].filter(Boolean).join(' · '),
    scan: [t('poster.scanLine1'), t('poster.scanLine2')],
    brand: t('poster.brand'),
    photoUrl: product.images[0]?.url ?? null,
    codeUrl: catalogue.shareCodeUrl(product.id),
  }
}

/** The product as a poster with its Mini Program code, to save and post in a chat or Moments. */
export default function Poster() {
  const { params } = useRouter()
  const id = productIdFrom(params)
  const { data, error, loading, reload } = useApi<Product>(
    id ? `product:${id}` : null,
    () => catalogue.product(id!),
    () => (id ? api.peek<Product>(`products/${id}/`) : undefined),
  )
  const [codeFailed, setCodeFailed] = useState(false)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    if (currentLanguage() !== 'zh-hans') Taro.setNavigationBarTitle({ title: t('poster.title') })
  }, [])

  if (!data) {
    return (
      <View className="poster-page">
        <StateView
          loading={loading}
          error={error}
          empty={!id}
          emptyText={t('product.gone')}
          onRetry={reload}
        />
      </View>
    )
  }

  const facts = factsOf(data)
  const save = async () => {
    setSaving(true)
    Taro.showLoading({ title: t('poster.saving') })
    try {
      const canvas = await platform.posterCanvas(CANVAS_ID, POSTER_WIDTH, POSTER_HEIGHT, 2)
      const file = await drawPoster(canvas, facts)
      const saved = await platform.saveImage(file)
      Taro.hideLoading()
      const done = process.env.TARO_ENV === 'h5' ? 'poster.savedH5' : 'poster.saved'
      Taro.showToast({ title: t(saved ? done : 'poster.saveFailed'), icon: saved ? 'success' : 'none' })
    } catch {
      Taro.hideLoading()
      Taro.showToast({ title: t('poster.saveFailed'), icon: 'none' })
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className="poster-page">
      <View className="poster" id="poster">
        {facts.photoUrl ? (
          <Image className="poster__photo" src={facts.photoUrl} mode="aspectFill" webp />
        ) : (
          <View className="poster__photo poster__photo--none" />
        )}
        <View className="poster__body">
          <Text className="poster__name">{facts.name}</Text>
          <View className="poster__price-row">
            <Text className="poster__price">{facts.price}</Text>
            {facts.incoterm && <Text className="poster__incoterm">{facts.incoterm}</Text>}
          </View>
          {facts.moq && <Text className="poster__line">{facts.moq}</Text>}
          {facts.origin && <Text className="poster__line">{facts.origin}</Text>}
        </View>
        <View className="poster__footer">
          {codeFailed ? (
            <View className="poster__code poster__code--failed">
              <Text>{t('poster.codeFailed')}</Text>
            </View>
          ) : (
            <Image
              className="poster__code"
              src={facts.codeUrl}
              mode="aspectFit"
              showMenuByLongpress
              ariaLabel={t('poster.scan')}
              onError={() => setCodeFailed(true)}
            />
          )}
          <View className="poster__scan">
            <Text className="poster__scan-text">{t('poster.scanLine1')}</Text>
            <Text className="poster__scan-text">{t('poster.scanLine2')}</Text>
            <Text className="poster__brand">{t('poster.brand')}</Text>
          </View>
        </View>
      </View>
      {/* Taro's H5 button looks disabled whenever the attribute is there, even as "false" */}
      <Button
        className="poster-page__save"
        {...(saving || codeFailed ? { disabled: true } : {})}
        onClick={save}
      >
        {t(saving ? 'poster.saving' : 'poster.save')}
      </Button>
      {process.env.TARO_ENV === 'weapp' && (
        // Drawn off screen when the buyer saves; the poster above is what they see.
        <Canvas type="2d" id={CANVAS_ID} className="poster-page__canvas" />
      )}
    </View>
  )
}
