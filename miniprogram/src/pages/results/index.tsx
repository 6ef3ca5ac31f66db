import { Text, View } from '@tarojs/components'
import Taro, { useReachBottom, useRouter } from '@tarojs/taro'
import { useEffect, useMemo, useState } from 'react'

import { api, catalogue, type ProductQuery } from '../../api'
import type { Category, Country, Page, ProductCard } from '../../api/types'
import { FilterBar, type Filter } from '../../components/filter-bar'
import { ListFooter } from '../../components/list-footer'
import { ProductGrid } from '../../components/product-grid'
import { SearchBox } from '../../components/search-box'
import { StateView } from '../../components/state'
import { useApi } from '../../hooks/useApi'
import { usePaged } from '../../hooks/usePaged'
import { t, type TextKey } from '../../i18n'
import { CERTIFICATION_CODES } from '../../lib/certifications'
import { pageUrl, param } from '../../lib/route'
import './index.css'

type Ordering = NonNullable<ProductQuery['ordering']>
const ORDERINGS: { value: Ordering; label: TextKey }[] = [
  { value: '-published_at', label: 'sort.newest' },
  { value: 'name', label: 'sort.name' },
  { value: '-inquiry_count', label: 'sort.inquiries' },
]

interface Choice {
  category: string
  country: string
  certification: string
  ordering: Ordering
}

/** Back to the search screen with what was typed: back if the buyer came from it, else open it. */
function openSearch(q: string) {
  const pages = Taro.getCurrentPages()
  const previous = pages[pages.length - 2]
  if (previous && /pages\/search\/index/.test(previous.route ?? '')) Taro.navigateBack()
  else Taro.navigateTo({ url: pageUrl('pages/search/index', { q }) })
}

/** The results of another query in place of these (a tap on 您是不是要找). */
function searchAgain(q: string) {
  Taro.redirectTo({ url: pageUrl('pages/results/index', { q }) })
}

/** 您是不是要找：<spelling>, the spelling set apart; the whole line (a thumb's height) searches it. */
function DidYouMean({ spelling }: { spelling: string }) {
  const [before, after = ''] = t('results.didYouMean').split('{q}')
  return (
    <View
      className="results__did-you-mean"
      hoverClass="results__did-you-mean--pressed"
      onClick={() => searchAgain(spelling)}
    >
      <Text>{before}</Text>
      <Text className="results__did-you-mean-word">{spelling}</Text>
      <Text>{after}</Text>
    </View>
  )
}

/** Categories as a buyer picks them: each top-level one followed by its sub-categories. */
function categoryOptions(categories: Category[]) {
  const top = categories.filter((category) => category.parent === null)
  const options: { value: string; label: string }[] = []
  for (const parent of top) {
    options.push({ value: parent.slug, label: parent.name })
    for (const child of categories.filter(
      (category) => category.parent === parent.id && category.product_count > 0,
    )) {
      options.push({ value: child.slug, label: child.name })
    }
  }
  return options
}

/**
 * The product list for a search and/or a filter. Also the category and country pages
 * (pages/results?category=…&title=…, ?country=…&title=…).
 */
export default function Results() {
  const { params } = useRouter()
  const q = param(params.q)
  const givenTitle = param(params.title)
  const [choice, setChoice] = useState<Choice>(() => ({
    category: param(params.category),
    country: param(params.country),
    certification: param(params.certification),
    ordering: ORDERINGS.some((item) => item.value === params.ordering)
      ? (params.ordering as Ordering)
      : '-published_at',
  }))
  // The title names what the page was opened for, until the buyer changes that filter.
  const [titleFor, setTitleFor] = useState(() => ({ category: choice.category, country: choice.country }))

  const categories = useApi<Page<Category>>('categories', catalogue.categories, () =>
    api.peek<Page<Category>>('categories/', { page_size: 50 }),
  )
  const countries = useApi<Page<Country>>('countries', catalogue.countries, () =>
    api.peek<Page<Country>>('countries/', { page_size: 50 }),
  )

  const query: ProductQuery = useMemo(
    () => ({
      q: q || undefined,
      category: choice.category || undefined,
      country: choice.country || undefined,
      certification: choice.certification || undefined,
      ordering: choice.ordering === '-published_at' ? undefined : choice.ordering,
    }),
    [q, choice],
  )
  const list = usePaged<ProductCard>(
    JSON.stringify(query),
    () => catalogue.products(query),
    (path) => catalogue.more<ProductCard>(path),
    () => api.peek<Page<ProductCard>>('products/', query as Record<string, string>),
  )
  useReachBottom(() => list.loadMore())

  const filters: Filter[] = [
    {
      key: 'category',
      label: t('filter.category'),
      allowAll: true,
      value: choice.category,
      options: categoryOptions(categories.data?.results ?? []),
    },
    {
      key: 'country',
      label: t('filter.country'),
      allowAll: true,
      value: choice.country,
      options: (countries.data?.results ?? []).map((country) => ({
        value: country.code,
        label: country.name,
      })),
    },
    {
      key: 'certification',
      label: t('filter.certification'),
      allowAll: true,
      value: choice.certification,
      options: CERTIFICATION_CODES.map((code) => ({ value: code, label: t(`cert.${code}` as TextKey) })),
    },
    {
      key: 'ordering',
      label: t('filter.sort'),
      value: choice.ordering,
      options: ORDERINGS.map((item) => ({ value: item.value, label: t(item.label) })),
    },
  ]
  // Before the lists arrive, the button of a filter given by the link shows the page's title.
  for (const filter of filters) {
    const given = filter.key === 'category' || filter.key === 'country' ? titleFor[filter.key] : ''
    if (given && givenTitle && !filter.options.some((option) => option.value === given)) {
      filter.options = [{ value: given, label: givenTitle }, ...filter.options]
    }
  }

  const title =
    q ||
    (givenTitle && titleFor.category === choice.category && titleFor.country === choice.country
      ? givenTitle
      : '') ||
    filters[0].options.find((option) => option.value === choice.category)?.label ||
    filters[1].options.find((option) => option.value === choice.country)?.label ||
    t('results.all')
  useEffect(() => {
    Taro.setNavigationBarTitle({ title })
  }, [title])

  const change = (key: string, value: string) => {
    setChoice((current) => ({ ...current, [key]: value }))
    if (key === 'category' || key === 'country') setTitleFor((current) => ({ ...current, [key]: '' }))
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
  }
  const clearFilters = () => {
    setChoice((current) => ({ ...current, category: '', country: '', certification: '' }))
    setTitleFor({ category: '', country: '' })
  }
  const filtered = Boolean(choice.category || choice.country || choice.certification)

  return (
    <View className="results">
      <View className="results__search">
        <SearchBox query={q} onOpen={() => openSearch(q)} />
      </View>
      <FilterBar filters={filters} onChange={change} />
      {list.didYouMean && list.phase !== 'loading' && list.phase !== 'error' ? (
        <DidYouMean spelling={list.didYouMean} />
      ) : null}
      {list.count !== null && list.items.length ? (
        <Text className="results__count">{t('results.count', { n: list.count })}</Text>
      ) : null}
      {list.phase === 'loading' || list.phase === 'error' ? (
        <StateView loading={list.phase === 'loading'} error={list.error} onRetry={() => list.reload()} />
      ) : list.items.length === 0 ? (
        <View className="results__empty">
          <Text className="results__empty-title">{t('results.empty')}</Text>
          <Text className="results__empty-hint">{t('results.emptyHint')}</Text>
          {filtered ? (
            <Text className="results__empty-action" onClick={clearFilters}>
              {t('results.clearFilters')}
            </Text>
          ) : null}
        </View>
      ) : (
        <View>
          <ProductGrid products={list.items} />
          <ListFooter list={list} />
        </View>
      )}
    </View>
  )
}
