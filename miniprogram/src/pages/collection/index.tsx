import { View } from '@tarojs/components'

export default function Collection() {
  return <View className="page">collection</View>
}
