export default definePageConfig({ navigationBarTitleText: '我的询价' })
