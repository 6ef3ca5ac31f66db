import Taro from '@tarojs/taro'

import type { Platform, PosterCanvas, PosterContext } from './index'

interface CanvasNode {
  width: number
  height: number
  getContext(kind: '2d'): PosterContext
  createImage(): {
    src: string
    width: number
    height: number
    onload: () => void
    onerror: (e: unknown) => void
  }
}

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
  previewImages(urls, current) {
    Taro.previewImage({ urls, current }).catch(() => undefined)
  },
  posterCanvas(canvasId, width, height, ratio) {
    return new Promise<PosterCanvas>((resolve, reject) => {
      Taro.createSelectorQuery()
        .select(`#${canvasId}`)
        .fields({ node: true, size: true })
        .exec((found) => {
          const canvas = found?.[0]?.node as CanvasNode | undefined
          if (!canvas) return reject(new Error('canvas not found'))
          canvas.width = width * ratio
          canvas.height = height * ratio
          const context = canvas.getContext('2d')
          context.scale(ratio, ratio)
          resolve({
            context,
            loadImage: (url) =>
              new Promise((done, fail) => {
                const image = canvas.createImage()
                image.onload = () => done({ source: image, width: image.width, height: image.height })
                image.onerror = fail
                image.src = url
              }),
            toFile: async () =>
              (await Taro.canvasToTempFilePath({ canvas: canvas as never, fileType: 'png' } as never))
                .tempFilePath,
          })
        })
    })
  },
  call(phone) {
    Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined)
  },
}
