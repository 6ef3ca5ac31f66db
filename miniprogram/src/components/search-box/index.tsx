import { Text, View } from '@tarojs/components'

import { t } from '../../i18n'
import './index.css'

interface Props {
  /** What was searched (results), or nothing (the placeholder shows). */
  query?: string
  onOpen: () => void
}

/** A search box that opens the search screen (home, results): the typing happens there. */
export function SearchBox({ query, onOpen }: Props) {
  return (
    <View className="search-box" role="search" onClick={onOpen}>
      <View className="search-box__field">
        <View className="search-icon" />
        <Text className={query ? 'search-box__query' : 'search-box__placeholder'}>
          {query || t('search.placeholder')}
        </Text>
      </View>
      <Text className="search-box__button">{t('search.submit')}</Text>
    </View>
  )
}
