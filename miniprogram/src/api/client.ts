// The one request module (MINIPROGRAM.md, "How it talks to the API"). Plain TypeScript with
// its platform parts passed in (transport, storage, WeChat login, clock), so Vitest runs it
// as it is; src/api/index.ts binds it to Taro.
import type { KeyValueStore } from '../lib/storage'
import { errorText, type Language } from '../i18n/errors'
import type { ErrorBody, SignIn } from './types'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface TransportRequest {
  url: string
  method: Method
  headers: Record<string, string>
  data?: unknown
  timeout: number
}

export interface TransportResponse {
  status: number
  /** Header names in lower case. */
  headers: Record<string, string>
  data: unknown
}

/** Sends one HTTP request; rejects with TransportFailure when no answer came. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export class TransportFailure extends Error {
  constructor(readonly kind: 'network' | 'timeout') {
    super(kind)
  }
}

export interface ClientOptions {
  /** The API's origin ('' on H5: the app is served by the API's own host). */
  baseUrl: string
  transport: Transport
  store: KeyValueStore
  /** A fresh code from wx.login() (the WeChat stand-in's on H5). */
  login: () => Promise<string>
  language: () => Language
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  random?: () => number
  timeout?: number
}

export interface RequestOptions {
  method?: Method
  params?: Record<string, string | number | boolean | undefined | null>
  data?: unknown
  /** 'none': never sends the token; 'optional': sends it when signed in; 'required': signs in first. */
  auth?: 'none' | 'optional' | 'required'
  /** Keep the answer with its ETag and revalidate with If-None-Match (catalogue reads). */
  keep?: boolean
  idempotencyKey?: string
}

/** Any failed request, with a message to show the buyer in their language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

interface Kept {
  etag: string
  data: unknown
}

const TOKEN_KEY = 'pti.session'
const KEPT_INDEX_KEY = 'pti.kept'
// WeChat allows 10 MB of storage per user and 1 MB per key; a few dozen screens is plenty.
const KEPT_LIMIT = 60
const RETRIES = 2
const RETRY_STATUSES = new Set([429, 502, 503, 504])
const MAX_RETRY_DELAY_MS = 5000

export interface Session {
  token: string
  expires_at: string
}

export function createClient(options: ClientOptions) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)))
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const timeout = options.timeout ?? 15000
  const { store } = options
  let signingIn: Promise<Session> | null = null

  function url(path: string, params?: RequestOptions['params']): string {
    const base = /^https?:\/\//.test(path) ? path : `${options.baseUrl}/api/v1/${path.replace(/^\//, '')}`
    const query = Object.entries(params ?? {})
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
      .join('&')
    if (!query) return base
    return `${base}${base.includes('?') ? '&' : '?'}${query}`
  }

  function session(): Session | undefined {
    const kept = store.get<Session>(TOKEN_KEY)
    if (kept && Date.parse(kept.expires_at) > now()) return kept
    return undefined
  }

  function signIn(): Promise<Session> {
    // One sign-in at a time: screens that start together share it.
    signingIn ??= (async () => {
      try {
        const code = await options.login()
        const answer = await send<SignIn>(url('auth/wechat/'), {
          method: 'POST',
          data: { code },
          auth: 'none',
        })
        const kept = { token: answer.token, expires_at: answer.expires_at }
        store.set(TOKEN_KEY, kept)
        return kept
      } finally {
        signingIn = null
      }
    })()
    return signingIn
  }

  function keptKey(target: string, signedIn: boolean): string {
    return `pti.kept:${options.language()}:${signedIn ? 'buyer' : 'guest'}:${target}`
  }

  function keep(key: string, value: Kept) {
    const index = (store.get<string[]>(KEPT_INDEX_KEY) ?? []).filter((entry) => entry !== key)
    index.push(key)
    while (index.length > KEPT_LIMIT) store.remove(index.shift()!)
    try {
      store.set(key, value)
      store.set(KEPT_INDEX_KEY, index)
    } catch {
      // Storage full: the answer is still shown, only not kept.
    }
  }

  function failure(status: number, body: unknown): ApiError {
    const error = (body as ErrorBody | undefined)?.error
    if (error && typeof error.message === 'string') {
      return new ApiError(status, error.code, error.message, error.fields ?? {})
    }
    const code = status >= 500 ? 'server_error' : `http_${status}`
    return new ApiError(status, code, errorText(options.language(), status >= 500 ? 'server' : 'unknown'))
  }

  function retryDelay(attempt: number, response?: TransportResponse): number {
    const after = Number(response?.headers['retry-after'])
    if (Number.isFinite(after) && after > 0) return Math.min(after * 1000, MAX_RETRY_DELAY_MS)
    return Math.min(500 * 2 ** attempt * (0.5 + random()), MAX_RETRY_DELAY_MS)
  }

  async function send<T>(target: string, request: RequestOptions, retried401 = false): Promise<T> {
    const method = request.method ?? 'GET'
    const auth = request.auth ?? 'optional'
    let current = auth === 'none' ? undefined : session()
    if (!current && auth === 'required') current = await signIn()

    const headers: Record<string, string> = { 'Accept-Language': options.language() }
    if (current) headers.Authorization = `Bearer ${current.token}`
    if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey
    if (request.data !== undefined) headers['Content-Type'] = 'application/json'
    const key = request.keep ? keptKey(target, Boolean(current)) : ''
    const kept = key ? store.get<Kept>(key) : undefined
    if (kept) headers['If-None-Match'] = kept.etag

    // Only safe requests are repeated on their own; an inquiry is repeated by its sender with
    // the same Idempotency-Key.
    const attempts = method === 'GET' ? RETRIES + 1 : 1
    let response: TransportResponse | undefined
    for (let attempt = 0; ; attempt++) {
      try {
        response = await options.transport({ url: target, method, headers, data: request.data, timeout })
      } catch (error) {
        const kind = error instanceof TransportFailure ? error.kind : 'network'
        if (attempt + 1 < attempts) {
          await sleep(retryDelay(attempt))
          continue
        }
        throw new ApiError(0, kind, errorText(options.language(), kind))
      }
      if (RETRY_STATUSES.has(response.status) && attempt + 1 < attempts) {
        await sleep(retryDelay(attempt, response))
        continue
      }
      break
    }

    if (response.status === 304 && kept) return kept.data as T
    if (response.status === 401 && auth !== 'none' && !retried401) {
      // The token expired or was revoked: sign in again, silently, and repeat once.
      store.remove(TOKEN_KEY)
      if (auth === 'optional' && !current) throw failure(response.status, response.data)
      await signIn()
      return send<T>(target, { ...request, auth: 'required' }, true)
    }
    if (response.status < 200 || response.status >= 300) throw failure(response.status, response.data)
    if (key && response.headers.etag) keep(key, { etag: response.headers.etag, data: response.data })
    return (response.status === 204 ? undefined : response.data) as T
  }

  return {
    request<T>(path: string, request: RequestOptions = {}): Promise<T> {
      return send<T>(url(path, request.params), request)
    },
    /** The kept answer of a catalogue read, to show at once while it is revalidated. */
    peek<T>(path: string, params?: RequestOptions['params']): T | undefined {
      const target = url(path, params)
      return store.get<Kept>(keptKey(target, Boolean(session())))?.data as T | undefined
    },
    url,
    signIn,
    signedIn: () => Boolean(session()),
    signOut: () => store.remove(TOKEN_KEY),
  }
}

export type Client = ReturnType<typeof createClient>
