import { View } from '@tarojs/components'

export default function Exporter() {
  return <View className="page">exporter</View>
}
