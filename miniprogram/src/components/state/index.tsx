import { Button, Text, View } from '@tarojs/components'

import type { ApiError } from '../../api/client'
import { t } from '../../i18n'
import './index.css'

interface Props {
  loading: boolean
  error?: ApiError
  empty?: boolean
  emptyText?: string
  onRetry: () => void
}

/** Loading, error-with-retry and empty states, the same on every screen. Renders nothing otherwise. */
export function StateView({ loading, error, empty, emptyText, onRetry }: Props) {
  if (loading) {
    return (
      <View className="state" aria-busy="true">
        <Text className="state__text">{t('common.loading')}</Text>
      </View>
    )
  }
  if (error) {
    return (
      <View className="state" role="alert">
        <Text className="state__text">{error.message}</Text>
        <Button className="state__retry" size="mini" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      </View>
    )
  }
  if (empty) {
    return (
      <View className="state">
        <Text className="state__text">{emptyText ?? t('common.empty')}</Text>
      </View>
    )
  }
  return null
}
