// The API's unit codes (catalogue Unit choices) as a buyer reads them. An unknown code shows as is.
import type { Language } from '../i18n/errors'

const NAMES: Record<Language, Record<string, string>> = {
  'zh-hans': {
    kg: '公斤',
    tonne: '吨',
    litre: '升',
    piece: '件',
    carton: '箱',
    bottle: '瓶',
    container_20ft: '柜（20尺）',
    container_40ft: '柜（40尺）',
  },
  en: {
    kg: 'kg',
    tonne: 'tonne',
    litre: 'litre',
    piece: 'piece',
    carton: 'carton',
    bottle: 'bottle',
    container_20ft: '20 ft container',
    container_40ft: '40 ft container',
  },
}

export function unitName(unit: string, language: Language): string {
  return NAMES[language][unit] ?? unit
}
