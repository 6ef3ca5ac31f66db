// Page addresses with their query, as Taro.navigateTo takes them. Platform-free (Vitest).
type Query = Record<string, string | number | undefined | null>

export function pageUrl(page: string, query: Query = {}): string {
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
  return `/${page.replace(/^\//, '')}${parts.length ? `?${parts.join('&')}` : ''}`
}

/** A page parameter as the page reads it: Taro hands them over still encoded on some targets. */
export function param(value: string | undefined): string {
  if (!value) return ''
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** An image address the app can load: the API's relative `/media/...` paths get its origin. */
export function imageUrl(url: string, base: string): string {
  if (/^(https?:)?\/\//.test(url) || !url.startsWith('/')) return url
  return `${base.replace(/\/$/, '')}${url}`
}
