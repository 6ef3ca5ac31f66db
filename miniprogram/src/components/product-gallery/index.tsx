import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components'

import type { ProductImage } from '../../api/types'
import { t } from '../../i18n'
import { platform } from '../../platform'
import './index.css'

interface Props {
  images: ProductImage[]
  name: string
}

// The box keeps the first photo's shape (4:3 when unknown), so nothing below it jumps when
// the photos arrive; taller shapes are capped at square.
function boxHeight(images: ProductImage[]): string {
  const first = images[0]
  const ratio = first?.width && first?.height ? first.height / first.width : 0.75
  return Taro.pxTransform(Math.round(750 * Math.min(Math.max(ratio, 0.5), 1)))
}

/** The product page's photos: swipe through, tap to see them full screen and zoom. */
export function ProductGallery({ images, name }: Props) {
  const [current, setCurrent] = useState(0)
  // Only the photo on screen and its neighbours load; a photo once loaded stays.
  const [reached, setReached] = useState(1)
  const height = boxHeight(images)

  if (images.length === 0) {
    return (
      <View className="gallery gallery--empty" style={{ height }}>
        <Text className="gallery__none">{t('product.noPhoto')}</Text>
      </View>
    )
  }

  const zoomUrls = images.map((image) => (image.zoom ?? image).url)
  return (
    <View className="gallery" style={{ height }}>
      <Swiper
        className="gallery__swiper"
        style={{ height }}
        current={current}
        onChange={(event) => {
          const index = event.detail.current
          setCurrent(index)
          setReached((value) => Math.max(value, index + 1))
        }}
      >
        {images.map((image, index) => (
          <SwiperItem key={image.url}>
            {index <= reached ? (
              <Image
                className="gallery__image"
                style={{ height }}
                src={image.url}
                mode="aspectFill"
                webp
                ariaLabel={image.alt || name}
                onClick={() => platform.previewImages(zoomUrls, zoomUrls[index])}
              />
            ) : (
              <View className="gallery__placeholder" style={{ height }} />
            )}
          </SwiperItem>
        ))}
      </Swiper>
      {images.length > 1 && (
        <Text className="gallery__count">
          {t('product.photoCount', { current: current + 1, total: images.length })}
        </Text>
      )}
    </View>
  )
}
