import { View } from '@tarojs/components'

export default function Inquiries() {
  return <View className="page">inquiries</View>
}
