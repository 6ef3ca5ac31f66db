import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'

import { api, catalogue } from '../../api'
import type { AppConfig } from '../../api/types'
import { useApi } from '../../hooks/useApi'
import { currentLanguage, labelTabBar, setLanguage, t, type Language, type TextKey } from '../../i18n'
import { platform } from '../../platform'
import { supportLines } from '../../lib/support'
import { APP_VERSION } from '../../lib/version'
import './index.css'

const LANGUAGES: { code: Language; label: string }[] = [
  { code: 'zh-hans', label: '中文' },
  { code: 'en', label: 'English' },
]

// Part 2 of issue 14 builds these; until then they say so instead of leading nowhere.
const COMING: { title: TextKey; detail: TextKey }[] = [
  { title: 'me.account', detail: 'me.accountSoon' },
  { title: 'me.privacy', detail: 'me.privacySoon' },
  { title: 'me.myData', detail: 'me.myDataSoon' },
]

const SUPPORT_LABELS: Record<string, TextKey> = {
  email: 'me.support.email',
  phone: 'me.support.phone',
  wechat: 'me.support.wechat',
  hours: 'me.support.hours',
}

function appVersion(): string {
  if (process.env.TARO_ENV === 'weapp') {
    // The version uploaded to WeChat; empty in the developer tools, so fall back to ours.
    const uploaded = Taro.getAccountInfoSync?.().miniProgram?.version
    if (uploaded) return uploaded
  }
  return APP_VERSION
}

export default function Me() {
  const language = currentLanguage()
  // The support contacts come from app-config/; without them (an older server, no network)
  // the section says so and the rest of the screen works.
  const config = useApi<AppConfig>(
    'app-config',
    () => catalogue.appConfig(),
    () => api.peek<AppConfig>('app-config/'),
  )
  const support = supportLines(config.data).map((line) => ({
    ...line,
    label: SUPPORT_LABELS[line.key] ? t(SUPPORT_LABELS[line.key]) : line.key,
  }))

  useEffect(() => {
    labelTabBar()
    if (language !== 'zh-hans') Taro.setNavigationBarTitle({ title: t('me.title') })
  }, [language])

  return (
    <View className="me">
      <View className="me__group">
        <View className="me__row">
          <Text className="me__label">{t('me.language')}</Text>
          <View className="switch" role="radiogroup">
            {LANGUAGES.map((option) => (
              <View
                key={option.code}
                role="radio"
                aria-checked={option.code === language}
                className={option.code === language ? 'switch__item switch__item--on' : 'switch__item'}
                onClick={() => option.code !== language && setLanguage(option.code)}
              >
                <Text>{option.label}</Text>
              </View>
            ))}
          </View>
        </View>
      </View>

      <View className="me__group">
        {COMING.map((item) => (
          <View key={item.title} className="me__row me__row--soon">
            <View className="me__stack">
              <Text className="me__label">{t(item.title)}</Text>
              <Text className="me__detail">{t(item.detail)}</Text>
            </View>
            <Text className="me__tag">{t('me.comingTag')}</Text>
          </View>
        ))}
      </View>

      <Text className="me__heading">{t('me.support')}</Text>
      <View className="me__group">
        {support.length > 0 ? (
          support.map((line) => (
            <View
              key={line.key}
              className="me__row"
              onClick={line.key === 'phone' ? () => platform.call(line.value) : undefined}
            >
              <Text className="me__label">{line.label}</Text>
              <Text className={line.key === 'phone' ? 'me__value me__value--link' : 'me__value'} userSelect>
                {line.value}
              </Text>
            </View>
          ))
        ) : (
          <View className="me__row">
            <Text className="me__detail">{config.loading ? t('common.loading') : t('me.supportNone')}</Text>
          </View>
        )}
      </View>

      <Text className="me__version">
        {t('poster.brand')} · {t('me.version')} {appVersion()}
      </Text>
    </View>
  )
}
