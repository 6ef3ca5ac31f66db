import { View } from '@tarojs/components'

export default function ProductDetail() {
  return <View className="page">product</View>
}
