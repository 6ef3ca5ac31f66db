export default definePageConfig({ navigationBarTitleText: 'inquiries' })
