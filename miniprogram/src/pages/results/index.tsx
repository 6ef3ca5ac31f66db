import { View } from '@tarojs/components'

export default function Results() {
  return <View className="page">results</View>
}
