export default definePageConfig({ navigationBarTitleText: 'me' })
