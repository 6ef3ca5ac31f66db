// The results screen's filters: what the buyer chose, as the API's
// parameters for GET products/, as page query parameters (navigateTo, shared links) and back.
// Pure: tests/query.test.ts.
import type { ProductQuery } from '../api/catalogue'
import { encodeParam } from '../api/client'

export type Ordering = '-published_at' | 'name' | '-inquiry_count'

/** The API's orderings; the first is its default (sent as nothing). */
export const ORDERINGS: readonly Ordering[] = ['-published_at', 'name', '-inquiry_count']

export interface Filters {
  q: string
  /** Category id or slug. */
  category: string
  /** ISO code, upper case. */
  country: string
  certification: string
  /** '' for the API's default (newest first). */
  ordering: Ordering | ''
}

export const EMPTY_FILTERS: Filters = Object.freeze({
  q: '',
  category: '',
  country: '',
  certification: '',
  ordering: '',
})

const NAMES = ['q', 'category', 'country', 'certification', 'ordering'] as const

function clean(filters: Partial<Filters>): Filters {
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim())
  const ordering = text(filters.ordering)
  return {
    q: text(filters.q).replace(/\s+/g, ' '),
    category: text(filters.category),
    country: text(filters.country).toUpperCase(),
    certification: text(filters.certification),
    ordering:
      ORDERINGS.includes(ordering as Ordering) && ordering !== ORDERINGS[0] ? (ordering as Ordering) : '',
  }
}

/** The parameters of GET products/: empty values (and the default ordering) left out. */
export function filtersToParams(filters: Partial<Filters>, extra: Partial<ProductQuery> = {}): ProductQuery {
  const tidy = clean(filters)
  const params: ProductQuery = { ...extra }
  if (tidy.q) params.q = tidy.q
  if (tidy.category) params.category = tidy.category
  if (tidy.country) params.country = tidy.country
  if (tidy.certification) params.certification = tidy.certification
  if (tidy.ordering) params.ordering = tidy.ordering
  return params
}

function decoded(value: string): string {
  // WeChat hands a page its query as it was in the URL (香草 as %E9%A6%99%E8%8D%89); H5's
  // router may have decoded it already. A value that is not valid percent-encoding ("100%纯")
  // is taken as it is.
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** The filters a page was opened with (its `router.params`), percent-encoded or not. */
export function filtersFromQuery(query: Record<string, string | undefined> | undefined | null): Filters {
  const found: Partial<Filters> = {}
  for (const name of NAMES) {
    const value = query?.[name]
    if (typeof value === 'string') (found as Record<string, string>)[name] = decoded(value)
  }
  return clean(found)
}

/** The query string for navigateTo ('?q=%E9%A6%99%E8%8D%89&country=FJ'), '' without filters. */
export function filtersToQuery(filters: Partial<Filters>): string {
  const tidy = clean(filters)
  const pairs = NAMES.filter((name) => tidy[name] !== '').map((name) => `${name}=${encodeParam(tidy[name])}`)
  return pairs.length ? `?${pairs.join('&')}` : ''
}

/** A stable name of these filters (useApi's key): the same filters give the same key. */
export function filtersKey(filters: Partial<Filters>): string {
  return `products${filtersToQuery(filters)}`
}

/** How many of category, country and certification are set (筛选 (2)). */
export function activeFilterCount(filters: Partial<Filters>): number {
  const tidy = clean(filters)
  return [tidy.category, tidy.country, tidy.certification].filter(Boolean).length
}
