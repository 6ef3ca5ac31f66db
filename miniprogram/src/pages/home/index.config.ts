export default definePageConfig({ navigationBarTitleText: '太平洋岛国好物', enablePullDownRefresh: true })
