import Taro from '@tarojs/taro'

import type { Platform } from './index'

export const platform: Platform = {
  async login() {
    const { code } = await Taro.login()
    return code
  },
  canShareCard: true,
  async saveImage(url) {
    try {
      const local = url.startsWith('http') ? (await Taro.downloadFile({ url })).tempFilePath : url
      await Taro.saveImageToPhotosAlbum({ filePath: local })
      return true
    } catch {
      return false
    }
  },
}
