export default definePageConfig({ navigationBarTitleText: '商品', onReachBottomDistance: 300 })
