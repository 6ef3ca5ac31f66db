import { Text, View } from '@tarojs/components'

import type { PagedList } from '../../hooks/usePaged'
import { t } from '../../i18n'
import './index.css'

/** The bottom of an infinite list: loading, a retry that keeps the list, or 没有更多了. */
export function ListFooter({
  list,
}: {
  list: Pick<PagedList<unknown>, 'loadingMore' | 'moreError' | 'loadMore' | 'next' | 'phase'>
}) {
  const { loadingMore, moreError, loadMore: onRetry } = list
  const end = !list.next && list.phase === 'ready'
  if (loadingMore) {
    return (
      <View className="list-footer">
        <Text className="list-footer__text">{t('list.loadingMore')}</Text>
      </View>
    )
  }
  if (moreError) {
    return (
      <View className="list-footer" role="alert" onClick={onRetry}>
        <Text className="list-footer__text list-footer__retry">{t('list.retryMore')}</Text>
      </View>
    )
  }
  if (end) {
    return (
      <View className="list-footer">
        <Text className="list-footer__text">{t('common.end')}</Text>
      </View>
    )
  }
  return <View className="list-footer" />
}
