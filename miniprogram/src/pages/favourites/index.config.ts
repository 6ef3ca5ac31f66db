export default definePageConfig({ navigationBarTitleText: 'favourites' })
