import { View } from '@tarojs/components'

export default function Favourites() {
  return <View className="page">favourites</View>
}
