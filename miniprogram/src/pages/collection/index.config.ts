export default definePageConfig({ navigationBarTitleText: 'collection' })
