// Every call that exists only on one platform (WeChat, the H5 preview, later Alipay or
// Douyin) lives in this folder, so another target is a new file here. Taro picks
// index.weapp.ts or index.h5.ts by the build's target; this file is the contract (and what
// other targets get until they have their own).
export interface Platform {
  /** A code for POST /api/v1/auth/wechat/. */
  login(): Promise<string>
  /** Whether a product can be shared as a card by the platform's own share menu. */
  canShareCard: boolean
  /** Saves an image (a local or remote URL) to the phone's album; false when refused. */
  saveImage(url: string): Promise<boolean>
}

export const platform: Platform = {
  login: () => Promise.reject(new Error('no sign-in on this platform')),
  canShareCard: false,
  saveImage: () => Promise.resolve(false),
}
