import { ScrollView, Text, View } from '@tarojs/components'
import { useState } from 'react'

import { t } from '../../i18n'
import './index.css'

export interface FilterOption {
  value: string
  label: string
}

export interface Filter {
  key: string
  /** The button's label (类目, 产地, 认证, 排序). */
  label: string
  options: FilterOption[]
  /** '' for none (全部), or the default ordering. */
  value: string
  /** Offer 全部 first (filters); sort has no 全部. */
  allowAll?: boolean
}

interface Props {
  filters: Filter[]
  onChange: (key: string, value: string) => void
}

/**
 * A row of dropdown buttons over a list, as sourcing apps have them: each opens its
 * options below the bar; a chosen filter shows its value in the brand colour.
 */
export function FilterBar({ filters, onChange }: Props) {
  const [open, setOpen] = useState<string | null>(null)
  const current = filters.find((filter) => filter.key === open)
  const choose = (key: string, value: string) => {
    setOpen(null)
    onChange(key, value)
  }
  return (
    <View className="filter-bar">
      <View className="filter-bar__buttons">
        {filters.map((filter) => {
          const chosen = filter.options.find((option) => option.value === filter.value)
          const active = filter.allowAll ? Boolean(filter.value) : false
          return (
            <View
              key={filter.key}
              className={`filter-bar__button${active ? ' filter-bar__button--active' : ''}${
                open === filter.key ? ' filter-bar__button--open' : ''
              }`}
              onClick={() => setOpen(open === filter.key ? null : filter.key)}
            >
              <Text className="filter-bar__label">{active && chosen ? chosen.label : filter.label}</Text>
              <Text className="filter-bar__caret">{open === filter.key ? '▴' : '▾'}</Text>
            </View>
          )
        })}
      </View>
      {current ? (
        <View className="filter-bar__panel-wrap">
          <ScrollView scrollY className="filter-bar__panel">
            <View className="filter-bar__options">
              {current.allowAll ? (
                <Text
                  className={`filter-bar__option${current.value === '' ? ' filter-bar__option--on' : ''}`}
                  onClick={() => choose(current.key, '')}
                >
                  {t('filter.all')}
                </Text>
              ) : null}
              {current.options.map((option) => (
                <Text
                  key={option.value}
                  className={`filter-bar__option${current.value === option.value ? ' filter-bar__option--on' : ''}`}
                  onClick={() => choose(current.key, option.value)}
                >
                  {option.label}
                </Text>
              ))}
            </View>
          </ScrollView>
          <View className="filter-bar__mask" onClick={() => setOpen(null)} />
        </View>
      ) : null}
    </View>
  )
}
