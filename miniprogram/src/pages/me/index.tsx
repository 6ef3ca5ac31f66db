import { View } from '@tarojs/components'

export default function Me() {
  return <View className="page">me</View>
}
