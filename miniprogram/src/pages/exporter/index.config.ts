export default definePageConfig({ navigationBarTitleText: 'exporter' })
