// Tab-bar pages must live in the main package (WeChat's rule). Browsing stays in the main
// package so a shared product opens without a subpackage download; the poster, and part 2's
// inquiry form and account screens, go in subpackages.
export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/favourites/index',
    'pages/inquiries/index',
    'pages/me/index',
    'pages/search/index',
    'pages/results/index',
    'pages/product/detail',
    'pages/exporter/index',
    'pages/collection/index',
  ],
  subPackages: [{ root: 'share', pages: ['poster/index'] }],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'PTI 太平洋岛国好物',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
  tabBar: {
    color: '#6b7280',
    selectedColor: '#0b6e4f',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-on.png',
      },
      {
        pagePath: 'pages/favourites/index',
        text: '收藏',
        iconPath: 'assets/tab/favourites.png',
        selectedIconPath: 'assets/tab/favourites-on.png',
      },
      {
        pagePath: 'pages/inquiries/index',
        text: '我的询价',
        iconPath: 'assets/tab/inquiries.png',
        selectedIconPath: 'assets/tab/inquiries-on.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-on.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
})
