import { View } from '@tarojs/components'

export default function Search() {
  return <View className="page">search</View>
}
