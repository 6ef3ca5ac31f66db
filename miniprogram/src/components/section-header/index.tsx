import { Text, View } from '@tarojs/components'

import './index.css'

interface Props {
  title: string
  /** A link at the right ("全部 ›"), when the section has a page of its own. */
  more?: string
  onMore?: () => void
}

export function SectionHeader({ title, more, onMore }: Props) {
  return (
    <View className="section-header">
      <Text className="section-header__title">{title}</Text>
      {more && onMore ? (
        <Text className="section-header__more" onClick={onMore}>
          {more} ›
        </Text>
      ) : null}
    </View>
  )
}
