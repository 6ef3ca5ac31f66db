// The API's shapes (docs/api.md), as the screens use them.

export interface Image {
  url: string
  width: number | null
  height: number | null
}

export interface Ref {
  id: number
  name: string
}

export interface CountryRef {
  code: string
  name: string
}

export interface Price {
  currency: string
  min: string | null
  max: string | null
  incoterm: string
  unit: string
}

export interface Moq {
  quantity: string
  unit: string
}

export interface ProductCard {
  id: number
  name: string
  summary: string
  thumbnail: Image | null
  category: Ref | null
  country: CountryRef | null
  exporter: Ref
  price: Price | null
  moq: Moq | null
  featured: boolean
}

export interface Certification {
  code: string
  name: string
}

export interface ExporterCard extends Ref {
  country: CountryRef | null
  logo: Image | null
  verified: boolean
  /** China customs (GACC) registration number of the overseas food producer; '' when none. */
  gacc_registration_number: string
}

export interface Product extends ProductCard {
  description: string
  images: ProductImage[]
  hs_code: string
  packaging: string
  shelf_life: string
  supply_capacity: string
  lead_time: string
  certifications: Certification[]
  /** China market access (GACC registration, quarantine, labelling), as text. */
  market_access: string
  exporter: ExporterCard
  published_at: string
  is_favourite?: boolean
}

export interface ProductImage extends Image {
  alt: string
  /** A larger rendition for pinch-zoom. */
  zoom: Image | null
}

export interface Exporter extends ExporterCard {
  description: string
  founded: number | null
  sector: string
  certifications: Certification[]
  product_count: number
}

export interface Category {
  id: number
  slug: string
  name: string
  parent: number | null
  /** An icon name or image URL (the API may turn it into an image). */
  icon: string | Image | null
  product_count: number
}

export interface Country {
  code: string
  name: string
  product_count: number
}

export interface Collection {
  slug: string
  title: string
  description: string
  cover: Image | null
  starts_on: string | null
  ends_on: string | null
  product_count: number
}

export interface CollectionDetail extends Collection {
  products: ProductCard[]
}

export interface Home {
  featured: ProductCard[]
  collections: Collection[]
  categories: Category[]
  countries: Country[]
}

export interface Page<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
  /** The products list only: a near spelling of `q` that finds products, "" when none. */
  did_you_mean?: string
}

export interface Suggestion {
  text: string
  kind: 'product' | 'category' | 'country' | 'exporter' | 'term'
}

export interface AppConfig {
  subscribe_templates: Record<string, string>
  privacy_policy_version: string
  support: Record<string, string>
}

export interface Buyer {
  id: number
  display_name: string
  avatar: Image | null
  company: string
  phone: string
  consented_policy_version: string | null
  created_at: string
}

export interface SignIn {
  token: string
  expires_at: string
  buyer: Buyer
  created: boolean
}

/** The API's one error shape. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]> }
}
