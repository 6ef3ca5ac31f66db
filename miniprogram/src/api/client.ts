// The one request module (README.md, "The Mini Program"). Plain TypeScript with
// its platform parts passed in (transport, storage, WeChat login, clock), so Vitest runs it
// as it is (tests/client.test.ts); src/api/index.ts binds it to Taro.
//
// - Sign-in is silent: a request that needs the buyer signs in first (wx.login, then
//   POST auth/wechat/); requests that start together share one sign-in.
// - A 401 to a request that carried a token signs in again and repeats the request once.
// - Every failure is an ApiError whose message can be shown as it is: the API's own message
//   (in the request's language) or one of ours (src/i18n/errors.ts) when there is none.
// - Only GETs are repeated on their own (a network failure, 429, 502, 503, 504), with
//   backoff and the API's Retry-After (capped); an inquiry is repeated by its sender with the
//   same Idempotency-Key (src/api/idempotency.ts).
// - Catalogue reads (`keep: true`) are kept in storage with their ETag, per language and
//   signed-in state; `peek` shows one at once and the request revalidates it (304).
import type { KeyValueStore } from '../lib/storage'
import { errorText, type ErrorKind, type Language } from '../i18n/errors'
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
  /** Header names in lower case (the client lower-cases them again, to be sure). */
  headers: Record<string, string>
  /** The body parsed as JSON; a string (or null) when it was not JSON. */
  data: unknown
}

/** Sends one HTTP request; rejects (best with a TransportFailure) when no answer came. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export class TransportFailure extends Error {
  constructor(readonly kind: 'network' | 'timeout') {
    super(kind)
  }
}

/**
 * What kind of failure a transport's rejection is: WeChat's `{errMsg: 'request:fail timeout'}`,
 * the H5 fetch's AbortError (Taro aborts it at the timeout), or anything else (network).
 */
export function failureKind(error: unknown): 'network' | 'timeout' {
  if (error instanceof TransportFailure) return error.kind
  const { name, message, errMsg } = (error ?? {}) as { name?: unknown; message?: unknown; errMsg?: unknown }
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout'
  const text = `${String(errMsg ?? '')} ${String(message ?? '')}`
  return /time[d ]?out|超时|abort/i.test(text) ? 'timeout' : 'network'
}

/** Header names in lower case, values as strings (WeChat gives `ETag` or `etag`). */
export function lowerCaseHeaders(
  headers: Record<string, unknown> | undefined | null,
): Record<string, string> {
  const lower: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && value !== null) lower[name.toLowerCase()] = String(value)
  }
  return lower
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
  /** Per attempt, in ms (15 s). */
  timeout?: number
  /** How many answers are kept in storage at most (60); the least recently used go first. */
  keptLimit?: number
}

export type Params = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  method?: Method
  params?: Params
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

export interface Session {
  token: string
  expires_at: string
  /** How long the token lives after its last use, in ms: the API slides expires_at on by it. */
  lifetime?: number
}

const TOKEN_KEY = 'pti.session'
const KEPT_INDEX_KEY = 'pti.kept'
const KEPT_PREFIX = 'pti.kept:'
// WeChat allows 10 MB of storage per user and 1 MB per key; a few dozen screens is plenty.
const KEPT_LIMIT = 60
const RETRIES = 2
const RETRY_STATUSES = new Set([429, 502, 503, 504])
const FIRST_RETRY_DELAY_MS = 500
const MAX_RETRY_DELAY_MS = 5000
// The API slides a token's expiry on at most every 10 minutes; the phone's copy follows
// when it is an hour behind, to spare storage writes.
const SLIDE_STEP_MS = 60 * 60 * 1000

/** encodeURIComponent, without throwing on a lone half of a surrogate pair (a cut emoji). */
export function encodeParam(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    let whole = ''
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i)
      if (code >= 0xd800 && code <= 0xdbff) {
        const next = value.charCodeAt(i + 1)
        if (next >= 0xdc00 && next <= 0xdfff) {
          whole += value[i] + value[i + 1]
          i++
        }
      } else if (code < 0xdc00 || code > 0xdfff) {
        whole += value[i]
      }
    }
    return encodeURIComponent(whole)
  }
}

function isSession(value: unknown): value is Session {
  const session = value as Session | undefined
  return typeof session?.token === 'string' && session.token !== '' && typeof session.expires_at === 'string'
}

function isKept(value: unknown): value is Kept {
  const kept = value as Kept | undefined
  return typeof kept?.etag === 'string' && kept.data !== undefined && kept.data !== null
}

/** A JSON body as the transport gave it: WeChat leaves a body it could not parse as a string. */
function parsed(data: unknown): unknown {
  if (typeof data !== 'string') return data
  const text = data.trim()
  if (!text.startsWith('{') && !text.startsWith('[')) return data
  try {
    return JSON.parse(text)
  } catch {
    return data
  }
}

export function createClient(options: ClientOptions) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)))
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const timeout = options.timeout ?? 15000
  const keptLimit = options.keptLimit ?? KEPT_LIMIT
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const { store } = options
  let signingIn: Promise<Session> | null = null

  function read(key: string): unknown {
    try {
      return store.get<unknown>(key)
    } catch {
      return undefined
    }
  }

  function forget(key: string) {
    try {
      store.remove(key)
    } catch {
      // Nothing to do: the entry stays until it is overwritten.
    }
  }

  /**
   * The address of an API path ('products/') or of a `next` link the API gave. A link's
   * origin is the one the API saw (maybe http:// behind a proxy, or an inner host name), so
   * its path and query are put on our own base URL. Parameters go in sorted by name, as the
   * API writes its links, so one list has one address (and one kept answer); empty ones
   * are left out; values are percent-encoded as UTF-8 (香草 → %E9%A6%99%E8%8D%89).
   */
  function url(path: string, params?: Params): string {
    let base: string
    const absolute = /^https?:\/\/[^/?#]*(.*)$/i.exec(path)
    if (absolute) {
      const rest = absolute[1] || '/'
      base = rest.startsWith('/api/') ? `${baseUrl}${rest}` : path
    } else if (path.startsWith('/api/')) {
      base = `${baseUrl}${path}`
    } else {
      base = `${baseUrl}/api/v1/${path.replace(/^\/+/, '')}`
    }
    const query = Object.keys(params ?? {})
      .sort()
      .filter((name) => {
        const value = params![name]
        return value !== undefined && value !== null && value !== ''
      })
      .map((name) => `${encodeParam(name)}=${encodeParam(String(params![name]))}`)
      .join('&')
    if (!query) return base
    return `${base}${base.includes('?') ? '&' : '?'}${query}`
  }

  function session(): Session | undefined {
    const kept = read(TOKEN_KEY)
    if (!isSession(kept)) return undefined
    if (Date.parse(kept.expires_at) > now()) return kept
    forget(TOKEN_KEY) // expired here too: the next request that needs the buyer signs in again
    return undefined
  }

  /** The API pushed the token's expiry on when it was used: follow it on the phone. */
  function slide(used: Session) {
    const stored = read(TOKEN_KEY)
    if (!isSession(stored) || stored.token !== used.token || !stored.lifetime) return
    const expires = now() + stored.lifetime
    if (expires - Date.parse(stored.expires_at) < SLIDE_STEP_MS) return
    try {
      store.set(TOKEN_KEY, { ...stored, expires_at: new Date(expires).toISOString() })
    } catch {
      // Storage full: the token is still good; it is only thought to expire sooner.
    }
  }

  function signIn(): Promise<Session> {
    // One sign-in at a time: screens that start together share it.
    signingIn ??= (async () => {
      try {
        let code: string
        try {
          code = await options.login()
        } catch {
          // wx.login failing (WeChat's `{errMsg}`, not an Error): the buyer can only try again.
          throw new ApiError(0, 'sign_in_failed', errorText(options.language(), 'sign_in'))
        }
        const answer = await send<SignIn>(url('auth/wechat/'), {
          method: 'POST',
          data: { code },
          auth: 'none',
        })
        const expires = Date.parse(answer.expires_at)
        const lifetime = expires - now()
        const kept: Session = { token: answer.token, expires_at: answer.expires_at }
        if (lifetime > 0) kept.lifetime = lifetime
        try {
          store.set(TOKEN_KEY, kept)
        } catch {
          // Storage full: this session's requests still carry the token (see send).
        }
        return kept
      } finally {
        signingIn = null
      }
    })()
    return signingIn
  }

  function keptKey(target: string, signedIn: boolean): string {
    return `${KEPT_PREFIX}${options.language()}:${signedIn ? 'buyer' : 'guest'}:${target}`
  }

  function keptIndex(): string[] {
    const index = read(KEPT_INDEX_KEY)
    return Array.isArray(index) ? index.filter((entry): entry is string => typeof entry === 'string') : []
  }

  function saveIndex(index: string[]) {
    try {
      store.set(KEPT_INDEX_KEY, index)
    } catch {
      // The index is small; if even it does not fit, entries are only evicted later.
    }
  }

  /** Marks `key` as the most recently used kept answer. */
  function touch(key: string) {
    const index = keptIndex()
    if (index[index.length - 1] === key) return
    saveIndex([...index.filter((entry) => entry !== key), key])
  }

  function keep(key: string, value: Kept) {
    const index = keptIndex().filter((entry) => entry !== key)
    while (index.length >= keptLimit) forget(index.shift()!)
    try {
      store.set(key, value)
    } catch {
      // Storage full (WeChat's 10 MB, or 1 MB for one key): make room by dropping the older
      // half of what is kept and try once more; otherwise the answer is shown, not kept.
      index.splice(0, Math.ceil(index.length / 2)).forEach(forget)
      try {
        store.set(key, value)
      } catch {
        forget(key)
        saveIndex(index)
        return
      }
    }
    index.push(key)
    saveIndex(index)
  }

  function unkeep(key: string) {
    forget(key)
    saveIndex(keptIndex().filter((entry) => entry !== key))
  }

  function kindOf(status: number): ErrorKind {
    if (status === 0) return 'network' // a transport that answered with no status at all
    if (status === 404 || status === 410) return 'not_found'
    if (status === 429) return 'throttled'
    if (status >= 500) return 'server'
    return 'unknown'
  }

  function failure(status: number, body: unknown): ApiError {
    const error = (body as ErrorBody | undefined)?.error
    if (error && typeof error.message === 'string' && error.message) {
      const code = typeof error.code === 'string' && error.code ? error.code : `http_${status}`
      const fields = error.fields && typeof error.fields === 'object' ? error.fields : {}
      return new ApiError(status, code, error.message, fields)
    }
    // A proxy's HTML page (nginx's 502), an empty body: our own message.
    const kind = kindOf(status)
    const code = kind === 'server' ? 'server_error' : kind === 'unknown' ? `http_${status}` : kind
    return new ApiError(status, code, errorText(options.language(), kind))
  }

  /** Retry-After in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
  function retryAfter(value: string | undefined): number | undefined {
    const text = value?.trim()
    if (!text) return undefined
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
    const date = Date.parse(text)
    return Number.isNaN(date) ? undefined : Math.max(0, date - now())
  }

  function retryDelay(attempt: number, response?: TransportResponse): number {
    const asked = retryAfter(response?.headers['retry-after'])
    if (asked !== undefined) return Math.min(asked, MAX_RETRY_DELAY_MS)
    // Exponential, with jitter so that phones that failed together do not retry together.
    return Math.round(Math.min(FIRST_RETRY_DELAY_MS * 2 ** attempt * (0.5 + random()), MAX_RETRY_DELAY_MS))
  }

  /**
   * One request and, for a GET, its repetitions: after a network failure or a 429/502/503/504,
   * at most RETRIES more times, while less than `timeout` has passed. A timeout is not
   * repeated: the buyer has waited long enough, and the screen offers a retry.
   */
  async function exchange(transportRequest: TransportRequest): Promise<TransportResponse> {
    const repeatable = transportRequest.method === 'GET'
    const started = now()
    for (let attempt = 0; ; attempt++) {
      const more = repeatable && attempt < RETRIES
      let response: TransportResponse
      try {
        response = await options.transport(transportRequest)
      } catch (error) {
        const kind = failureKind(error)
        if (more && kind === 'network' && now() - started < timeout) {
          await sleep(retryDelay(attempt))
          continue
        }
        throw new ApiError(0, kind, errorText(options.language(), kind))
      }
      const answer: TransportResponse = {
        status: Number(response?.status) || 0,
        headers: lowerCaseHeaders(response?.headers),
        data: parsed(response?.data),
      }
      if (more && RETRY_STATUSES.has(answer.status) && now() - started < timeout) {
        await sleep(retryDelay(attempt, answer))
        continue
      }
      return answer
    }
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
    const stored = key ? read(key) : undefined
    const kept = isKept(stored) ? stored : undefined
    const exchanged = (withEtag: boolean) =>
      exchange({
        url: target,
        method,
        headers: withEtag && kept?.etag ? { ...headers, 'If-None-Match': kept.etag } : headers,
        data: request.data,
        timeout,
      })

    let response = await exchanged(true)
    if (response.status === 304) {
      if (kept?.etag) {
        touch(key)
        if (current) slide(current)
        return kept.data as T
      }
      // Not modified, but nothing kept to show (a cache on the way answered, or the kept
      // answer was unreadable): ask again, without If-None-Match.
      response = await exchanged(false)
    }
    if (response.status === 401 && auth !== 'none' && !retried401) {
      if (!current) throw failure(response.status, response.data)
      // The token expired or was revoked: sign in again, silently, and repeat once. Another
      // request may have done so already (it got its 401 first): then use its new token.
      const latest = read(TOKEN_KEY)
      const replaced = isSession(latest) && latest.token !== current.token
      if (!replaced) {
        if (isSession(latest)) forget(TOKEN_KEY)
        await signIn()
      }
      return send<T>(target, { ...request, auth: 'required' }, true)
    }
    if (response.status < 200 || response.status >= 300) {
      if (key && (response.status === 404 || response.status === 410)) unkeep(key) // gone: do not show it again
      throw failure(response.status, response.data)
    }
    if (current) slide(current)
    if (response.status === 204) return undefined as T
    const data = response.data
    if (typeof data !== 'object' || data === null) {
      // A 2xx that is not the API's JSON: a captive Wi-Fi portal's page, a proxy's error.
      throw new ApiError(response.status, 'bad_response', errorText(options.language(), 'network'))
    }
    if (key) keep(key, { etag: response.headers.etag ?? '', data })
    return data as T
  }

  return {
    request<T>(path: string, request: RequestOptions = {}): Promise<T> {
      return send<T>(url(path, request.params), request)
    },
    /**
     * The kept answer of a catalogue read (`keep: true`), to show at once while the request
     * revalidates it: the signed-in buyer's own when there is one, else the guest's.
     */
    peek<T>(path: string, params?: Params): T | undefined {
      const target = url(path, params)
      const own = session() ? read(keptKey(target, true)) : undefined
      const kept = isKept(own) ? own : read(keptKey(target, false))
      return isKept(kept) ? (kept.data as T) : undefined
    },
    url,
    signIn,
    signedIn: () => Boolean(session()),
    /** Forgets the token and the answers kept for the signed-in buyer (after deleting the account). */
    signOut: () => {
      forget(TOKEN_KEY)
      const index = keptIndex()
      const own = index.filter((key) => key.split(':')[2] === 'buyer')
      own.forEach(forget)
      saveIndex(index.filter((key) => !own.includes(key)))
    },
    /** Forgets every kept answer (我的 → clear the cache). */
    clearKept: () => {
      keptIndex().forEach(forget)
      forget(KEPT_INDEX_KEY)
    },
  }
}

export type Client = ReturnType<typeof createClient>
