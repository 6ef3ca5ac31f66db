// The endpoints the browsing screens call. Catalogue reads are kept with their ETag, so a
// screen opened again shows its last answer at once (`peek`) and refreshes quietly.
import { api } from './index'
import type {
  AppConfig,
  Category,
  CollectionDetail,
  Country,
  Exporter,
  Home,
  Page,
  Product,
  ProductCard,
  Suggestion,
} from './types'

export interface ProductQuery {
  q?: string
  category?: string | number
  country?: string
  exporter?: number
  collection?: string
  certification?: string
  featured?: boolean
  ordering?: '-published_at' | 'name' | '-inquiry_count'
  page?: number
  page_size?: number
}

type Params = Record<string, string | number | boolean | undefined>

export const catalogue = {
  home: () => api.request<Home>('home/', { keep: true, auth: 'none' }),
  categories: () =>
    api.request<Page<Category>>('categories/', { keep: true, auth: 'none', params: { page_size: 50 } }),
  countries: () =>
    api.request<Page<Country>>('countries/', { keep: true, auth: 'none', params: { page_size: 50 } }),
  products: (query: ProductQuery) =>
    api.request<Page<ProductCard>>('products/', { keep: true, auth: 'none', params: query as Params }),
  /** The next page of a list, by the `next` URL the API gave. */
  more: <T>(next: string) => api.request<Page<T>>(next, { keep: true, auth: 'none' }),
  product: (id: number) => api.request<Product>(`products/${id}/`, { keep: true, auth: 'optional' }),
  exporter: (id: number) => api.request<Exporter>(`exporters/${id}/`, { keep: true, auth: 'none' }),
  collection: (slug: string) =>
    api.request<CollectionDetail>(`collections/${encodeURIComponent(slug)}/`, { keep: true, auth: 'none' }),
  suggestions: (q: string) =>
    api.request<Suggestion[] | { results: Suggestion[] }>('search/suggestions/', {
      auth: 'none',
      params: { q },
    }),
  appConfig: () => api.request<AppConfig>('app-config/', { keep: true, auth: 'none' }),
  /** The PNG of the Mini Program code that opens this product. */
  shareCodeUrl: (id: number) => api.url(`products/${id}/share-code/`),
}

export const favourites = {
  list: (next?: string) =>
    api.request<Page<ProductCard>>(next ?? 'favourites/', {
      auth: 'required',
      params: next ? {} : { page_size: 20 },
    }),
  add: (productId: number) =>
    api.request<void>(`favourites/${productId}/`, { method: 'PUT', auth: 'required' }),
  remove: (productId: number) =>
    api.request<void>(`favourites/${productId}/`, { method: 'DELETE', auth: 'required' }),
}

/**
 * The kept answers of the catalogue reads above, for useApi's `peek` (shown at once, then
 * refreshed): `useApi(`product:${id}`, () => catalogue.product(id), () => kept.product(id))`.
 * Each reads the address its request uses, so the two cannot drift apart.
 */
export const kept = {
  home: () => api.peek<Home>('home/'),
  categories: () => api.peek<Page<Category>>('categories/', { page_size: 50 }),
  countries: () => api.peek<Page<Country>>('countries/', { page_size: 50 }),
  products: (query: ProductQuery) => api.peek<Page<ProductCard>>('products/', query as Params),
  more: <T>(next: string) => api.peek<Page<T>>(next),
  product: (id: number) => api.peek<Product>(`products/${id}/`),
  exporter: (id: number) => api.peek<Exporter>(`exporters/${id}/`),
  collection: (slug: string) => api.peek<CollectionDetail>(`collections/${encodeURIComponent(slug)}/`),
  appConfig: () => api.peek<AppConfig>('app-config/'),
}
