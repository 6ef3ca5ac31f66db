export default definePageConfig({ navigationBarTitleText: 'results' })
