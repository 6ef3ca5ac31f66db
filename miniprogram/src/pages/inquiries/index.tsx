import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'

import { currentLanguage, labelTabBar, t } from '../../i18n'
import './index.css'

// Part 2 of issue 14 builds the inquiry list and thread; until then this tab says what is
// coming and leads back to the products.
export default function Inquiries() {
  useEffect(() => {
    labelTabBar()
    if (currentLanguage() !== 'zh-hans') Taro.setNavigationBarTitle({ title: t('inquiries.title') })
  }, [])
  return (
    <View className="inquiries">
      <View className="inquiries__mark">
        <Text className="inquiries__mark-text">询</Text>
      </View>
      <Text className="inquiries__title">{t('inquiries.soon')}</Text>
      <Text className="inquiries__what">{t('inquiries.what')}</Text>
      <Button className="inquiries__browse" onClick={() => Taro.switchTab({ url: '/pages/home/index' })}>
        {t('inquiries.browse')}
      </Button>
    </View>
  )
}
