export default definePageConfig({ navigationBarTitleText: '供应商', onReachBottomDistance: 300 })
