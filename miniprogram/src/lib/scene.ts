// A Mini Program code carries `scene=p=<id>` (URL-encoded by WeChat: p%3D42); a shared card
// opens pages/product/detail?id=<id>. Both name one product.
export function productIdFrom(query: Record<string, string | undefined> | undefined): number | null {
  if (!query) return null
  const direct = Number(query.id)
  if (Number.isInteger(direct) && direct > 0) return direct
  const scene = query.scene ? safeDecode(query.scene) : ''
  const match = /(?:^|&)p=(\d+)(?:&|$)/.exec(scene)
  return match ? Number(match[1]) : null
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

const PRODUCT_PAGE = 'pages/product/detail'

/**
 * The product to open when the app starts on another page with a Mini Program code's scene
 * (a code made without a page opens the home page). Only `scene` counts here: other pages
 * take their own `?id=` (an exporter, the poster), which names no product to open.
 */
export function productToOpen(options: {
  path?: string
  query?: Record<string, string | undefined>
}): number | null {
  if ((options.path ?? '').replace(/^\//, '') === PRODUCT_PAGE) return null // the page reads it itself
  if (!options.query?.scene) return null
  return productIdFrom({ scene: options.query.scene })
}
