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
