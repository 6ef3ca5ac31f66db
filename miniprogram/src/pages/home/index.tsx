import { Image, ScrollView, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { useEffect } from 'react'

import { api, catalogue } from '../../api'
import type { Category, Collection, Country, Home as HomeData } from '../../api/types'
import { ProductGrid } from '../../components/product-grid'
import { SearchBox } from '../../components/search-box'
import { SectionHeader } from '../../components/section-header'
import { StateView } from '../../components/state'
import { useApi } from '../../hooks/useApi'
import { labelTabBar, t } from '../../i18n'
import { imageUrl, pageUrl } from '../../lib/route'
import './index.css'

const API_BASE = process.env.TARO_APP_API_BASE || ''

function openCategory(category: Pick<Category, 'slug' | 'name'>) {
  Taro.navigateTo({ url: pageUrl('pages/results/index', { category: category.slug, title: category.name }) })
}

function openCountry(country: Country) {
  Taro.navigateTo({ url: pageUrl('pages/results/index', { country: country.code, title: country.name }) })
}

function openCollection(collection: Collection) {
  Taro.navigateTo({ url: pageUrl('pages/collection/index', { slug: collection.slug }) })
}

export default function Home() {
  // Everything on this screen comes from one request; the kept answer shows at once.
  const home = useApi<HomeData>('home', catalogue.home, () => api.peek<HomeData>('home/'))
  const data = home.data

  useEffect(() => {
    Taro.setNavigationBarTitle({ title: t('browse.appTitle') })
    labelTabBar()
  }, [])
  usePullDownRefresh(() => {
    home.reload()
    Taro.stopPullDownRefresh()
  })

  const empty =
    data &&
    !data.featured.length &&
    !data.collections.length &&
    !data.categories.length &&
    !data.countries.length

  return (
    <View className="home">
      <View className="home__top">
        <SearchBox onOpen={() => Taro.navigateTo({ url: pageUrl('pages/search/index') })} />
        <Text className="home__tagline">{t('browse.tagline')}</Text>
      </View>

      {!data ? (
        <StateView loading={home.loading} error={home.error} onRetry={home.reload} />
      ) : empty ? (
        <StateView loading={false} empty emptyText={t('browse.homeEmpty')} onRetry={home.reload} />
      ) : (
        <View>
          {data.categories.length ? (
            <View className="home__panel">
              <SectionHeader title={t('browse.categories')} />
              <View className="home__categories">
                {data.categories.map((category) => (
                  <View
                    key={category.id}
                    className="home__category"
                    hoverClass="home__pressed"
                    onClick={() => openCategory(category)}
                  >
                    <View className={`home__category-icon home__category-icon--${category.id % 4}`}>
                      <Text>{Array.from(category.name)[0]}</Text>
                    </View>
                    <Text className="home__category-name">{category.name}</Text>
                  </View>
                ))}
              </View>
            </View>
          ) : null}

          {data.collections.length ? (
            <View>
              <SectionHeader title={t('browse.collections')} />
              <ScrollView scrollX className="home__collections" enhanced showScrollbar={false}>
                <View className="home__collections-row">
                  {data.collections.map((collection) => (
                    <View
                      key={collection.slug}
                      className="home__collection"
                      hoverClass="home__pressed"
                      onClick={() => openCollection(collection)}
                    >
                      <View className="home__collection-cover">
                        {collection.cover ? (
                          <Image
                            className="home__collection-img"
                            src={imageUrl(collection.cover.url, API_BASE)}
                            mode="aspectFill"
                            lazyLoad
                          />
                        ) : null}
                        <View className="home__collection-shade" />
                        <View className="home__collection-text">
                          <Text className="home__collection-title">{collection.title}</Text>
                          <Text className="home__collection-count">
                            {t('browse.productCount', { n: collection.product_count })}
                          </Text>
                        </View>
                      </View>
                    </View>
                  ))}
                </View>
              </ScrollView>
            </View>
          ) : null}

          {data.countries.length ? (
            <View>
              <SectionHeader title={t('browse.countries')} />
              <View className="home__countries">
                {data.countries.map((country) => (
                  <View
                    key={country.code}
                    className="home__country"
                    hoverClass="home__pressed"
                    onClick={() => openCountry(country)}
                  >
                    <Text className="home__country-name">{country.name}</Text>
                    <Text className="home__country-count">{country.product_count}</Text>
                  </View>
                ))}
              </View>
            </View>
          ) : null}

          {data.featured.length ? (
            <View>
              <SectionHeader
                title={t('browse.featured')}
                more={t('browse.more')}
                onMore={() =>
                  Taro.navigateTo({ url: pageUrl('pages/results/index', { title: t('results.all') }) })
                }
              />
              <ProductGrid products={data.featured} />
            </View>
          ) : null}
          <View className="home__bottom" />
        </View>
      )}
    </View>
  )
}
