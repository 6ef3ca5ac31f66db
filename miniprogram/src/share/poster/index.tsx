import { View } from '@tarojs/components'

export default function Poster() {
  return <View className="page">poster</View>
}
