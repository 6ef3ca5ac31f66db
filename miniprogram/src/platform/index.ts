// Every call that exists only on one platform (WeChat, the H5 preview, later Alipay or
// Douyin) lives in this folder, so another target is a new file here. Taro picks
// index.weapp.ts or index.h5.ts by the build's target; this file is the contract (and what
// other targets get until they have their own).

/** The drawing calls the poster uses: the part of CanvasRenderingContext2D both platforms have. */
export interface PosterContext {
  fillStyle: string | CanvasGradient | CanvasPattern
  strokeStyle: string | CanvasGradient | CanvasPattern
  lineWidth: number
  font: string
  textBaseline: CanvasTextBaseline
  textAlign: CanvasTextAlign
  fillRect(x: number, y: number, width: number, height: number): void
  fillText(text: string, x: number, y: number): void
  measureText(text: string): { width: number }
  drawImage(
    image: unknown,
    sx: number,
    sy: number,
    sw: number,
    sh: number,
    dx: number,
    dy: number,
    dw: number,
    dh: number,
  ): void
  beginPath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  stroke(): void
  save(): void
  restore(): void
  scale(x: number, y: number): void
}

/** An image the poster canvas can draw, with its natural size. */
export interface PosterImage {
  source: unknown
  width: number
  height: number
}

/** A canvas to draw the share poster on, then turn into an image file to save. */
export interface PosterCanvas {
  context: PosterContext
  loadImage(url: string): Promise<PosterImage>
  /** The drawing as a PNG: a temporary file path (WeChat) or a data: URL (H5). */
  toFile(): Promise<string>
}

export interface Platform {
  /** A code for POST /api/v1/auth/wechat/. */
  login(): Promise<string>
  /** Whether a product can be shared as a card by the platform's own share menu. */
  canShareCard: boolean
  /** Saves an image (a local or remote URL) to the phone's album; false when refused. */
  saveImage(url: string): Promise<boolean>
  /** Shows photos full screen, pinch to zoom, starting at `current`. */
  previewImages(urls: string[], current: string): void
  /**
   * A canvas of width × height (logical px, drawn at `ratio` × for a sharp image). On WeChat it
   * is the page's `<Canvas type="2d" id={canvasId}>`; the H5 preview makes its own.
   */
  posterCanvas(canvasId: string, width: number, height: number, ratio: number): Promise<PosterCanvas>
  /** Calls a phone number (the support line in 我的). */
  call(phone: string): void
}

export const platform: Platform = {
  login: () => Promise.reject(new Error('no sign-in on this platform')),
  canShareCard: false,
  saveImage: () => Promise.resolve(false),
  previewImages: () => undefined,
  posterCanvas: () => Promise.reject(new Error('no canvas on this platform')),
  call: () => undefined,
}
