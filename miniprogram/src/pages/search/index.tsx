import { Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useMemo, useState } from 'react'

import { api, catalogue } from '../../api'
import type { Category, Home, Suggestion } from '../../api/types'
import { useApi } from '../../hooks/useApi'
import { t, type TextKey } from '../../i18n'
import { pageUrl, param } from '../../lib/route'
import { createSuggestions } from '../../lib/suggestions'
import { recentSearches } from '../../stores'
import '../../components/search-box/index.css'
import './index.css'

const POPULAR_LIMIT = 8
const SUGGESTIONS_SHOWN = 10
const KINDS: Record<Suggestion['kind'], TextKey> = {
  product: 'search.kind.product',
  category: 'search.kind.category',
  country: 'search.kind.country',
  exporter: 'search.kind.exporter',
  term: 'search.kind.term',
}

/** The categories with the most products: what the catalogue has most of, not a search ranking. */
function popularCategories(home: Home | undefined): Category[] {
  return [...(home?.categories ?? [])]
    .filter((category) => category.product_count > 0)
    .sort((a, b) => b.product_count - a.product_count)
    .slice(0, POPULAR_LIMIT)
}

export default function Search() {
  const router = useRouter()
  const [query, setQuery] = useState(() => param(router.params.q))
  const [suggestions, setSuggestions] = useState<Suggestion[]>([])
  const [recent, setRecent] = useState<string[]>(() => recentSearches.list())
  const home = useApi<Home>('home', catalogue.home, () => api.peek<Home>('home/'))
  const popular = useMemo(() => popularCategories(home.data), [home.data])
  // Asked once the typing pauses (250 ms); only the answer to what the box says now is shown.
  // Suggestions are a help: an API without them (404) or a failure shows none.
  const suggest = useMemo(
    () =>
      createSuggestions({
        fetch: catalogue.suggestions,
        show: (_text, list) => setSuggestions(list.slice(0, SUGGESTIONS_SHOWN)),
      }),
    [],
  )
  useEffect(() => {
    Taro.setNavigationBarTitle({ title: t('browse.searchTitle') })
    return () => suggest.cancel()
  }, [suggest])

  const onInput = (text: string) => {
    setQuery(text)
    suggest.update(text)
  }

  const submit = (text: string) => {
    const q = text.trim()
    if (!q) return
    recentSearches.add(q)
    setRecent(recentSearches.list())
    Taro.navigateTo({ url: pageUrl('pages/results/index', { q }) })
  }

  const clearRecent = () => {
    recentSearches.clear()
    setRecent([])
  }

  const typing = query.trim().length > 0
  return (
    <View className="search">
      <View className="search__bar">
        <View className="search__field">
          <View className="search-icon" />
          <Input
            className="search__input"
            value={query}
            focus
            confirmType="search"
            placeholder={t('search.placeholder')}
            placeholderClass="search__placeholder"
            onInput={(event) => onInput(event.detail.value)}
            onConfirm={(event) => submit(event.detail.value)}
          />
          {query ? (
            <Text className="search__clear" onClick={() => onInput('')}>
              ×
            </Text>
          ) : null}
        </View>
        <Text className="search__submit" onClick={() => submit(query)}>
          {t('search.submit')}
        </Text>
      </View>

      {typing ? (
        <View className="search__suggestions">
          <View className="search__suggestion" hoverClass="search__pressed" onClick={() => submit(query)}>
            <Text className="search__suggestion-text search__suggestion-text--query">
              {t('search.searchFor', { q: query.trim() })}
            </Text>
          </View>
          {suggestions.map((item) => (
            <View
              key={`${item.kind}:${item.text}`}
              className="search__suggestion"
              hoverClass="search__pressed"
              onClick={() => submit(item.text)}
            >
              <Text className="search__suggestion-text">{item.text}</Text>
              <Text className={`search__kind search__kind--${item.kind}`}>
                {t(KINDS[item.kind] ?? KINDS.term)}
              </Text>
            </View>
          ))}
        </View>
      ) : (
        <View>
          {recent.length ? (
            <View className="search__block">
              <View className="search__block-head">
                <Text className="search__block-title">{t('search.recent')}</Text>
                <Text className="search__block-action" onClick={clearRecent}>
                  {t('search.clear')}
                </Text>
              </View>
              <View className="search__chips">
                {recent.map((text) => (
                  <Text key={text} className="search__chip" onClick={() => submit(text)}>
                    {text}
                  </Text>
                ))}
              </View>
            </View>
          ) : null}
          {popular.length ? (
            <View className="search__block">
              <View className="search__block-head">
                <Text className="search__block-title">{t('search.popular')}</Text>
              </View>
              <View className="search__chips">
                {popular.map((category) => (
                  <Text
                    key={category.id}
                    className="search__chip search__chip--popular"
                    onClick={() =>
                      Taro.navigateTo({
                        url: pageUrl('pages/results/index', {
                          category: category.slug,
                          title: category.name,
                        }),
                      })
                    }
                  >
                    {category.name}
                  </Text>
                ))}
              </View>
            </View>
          ) : null}
        </View>
      )}
    </View>
  )
}
