// The request module's contract: what it sends and how it reacts to what comes back. The
// transport is the one fake here (it records the requests and answers as the API would).
import { describe, expect, it } from 'vitest'

import {
  ApiError,
  createClient,
  failureKind,
  TransportFailure,
  type ClientOptions,
  type TransportRequest,
  type TransportResponse,
} from '../src/api/client'
import type { Language } from '../src/i18n/errors'
import { memoryStore, type KeyValueStore } from '../src/lib/storage'

type Answer =
  | TransportResponse
  | Error
  | ((request: TransportRequest) => TransportResponse | Error | Promise<TransportResponse>)

const NOW = Date.parse('2026-12-06T04:00:00Z')
const LATER = '2027-01-05T04:00:00Z' // 30 days on

function json(status: number, data: unknown, headers: Record<string, string> = {}): TransportResponse {
  return { status, headers, data }
}

function signInAnswer(token: string): TransportResponse {
  return json(200, { token, expires_at: LATER, buyer: { id: 1 }, created: false })
}

/** A client over a fake API: `route(url, method)` answers in turn from the queue given for it. */
function setup(
  routes: Record<string, Answer[]>,
  extra: Omit<Partial<ClientOptions>, 'language'> & { language?: Language } = {},
) {
  const sent: TransportRequest[] = []
  const sleeps: number[] = []
  const queues = new Map(Object.entries(routes).map(([route, answers]) => [route, [...answers]]))
  let clock = NOW
  let logins = 0
  let language: Language = extra.language ?? 'zh-hans'
  const store = (extra.store as KeyValueStore | undefined) ?? memoryStore()
  const client = createClient({
    baseUrl: 'https://api.example.cn',
    store,
    login: async () => `code-${++logins}`,
    sleep: async (ms) => {
      sleeps.push(ms)
      clock += ms
    },
    now: () => clock,
    random: () => 0.5,
    ...extra,
    language: () => language,
    transport: async (request) => {
      sent.push(request)
      const path = request.url.replace('https://api.example.cn/api/v1/', '')
      const route = `${request.method} ${path}`
      const queue = queues.get(route) ?? queues.get(`${request.method} ${path.split('?')[0]}`)
      if (!queue || queue.length === 0) throw new Error(`unexpected ${route}`)
      let answer = queue.length > 1 ? queue.shift()! : queue[0]
      if (typeof answer === 'function') answer = await answer(request)
      if (answer instanceof Error) throw answer
      return answer
    },
  })
  return {
    client,
    sent,
    sleeps,
    store,
    logins: () => logins,
    tick: (ms: number) => void (clock += ms),
    setLanguage: (next: Language) => void (language = next),
    to: (route: string) => sent.filter((request) => `${request.method} ${request.url}`.includes(route)),
  }
}

async function failed(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('the request did not fail')
}

describe('addresses', () => {
  it('puts paths under /api/v1/ and encodes Chinese parameters as UTF-8, sorted, empty ones left out', () => {
    const { client } = setup({})
    expect(
      client.url('products/', { q: '香草 豆', country: 'FJ', category: '', exporter: null, page: 2 }),
    ).toBe('https://api.example.cn/api/v1/products/?country=FJ&page=2&q=%E9%A6%99%E8%8D%89%20%E8%B1%86')
    expect(client.url('/home/')).toBe('https://api.example.cn/api/v1/home/')
  })

  it("follows a `next` link on the app's own base URL, whatever origin the API saw", () => {
    const { client } = setup({})
    expect(client.url('http://10.0.0.5:8000/api/v1/products/?page=2&q=%E9%A6%99')).toBe(
      'https://api.example.cn/api/v1/products/?page=2&q=%E9%A6%99',
    )
  })

  it('drops a trailing slash of the base URL and survives half an emoji', () => {
    const { client } = setup({}, { baseUrl: 'https://api.example.cn/' })
    expect(client.url('products/', { q: 'a\ud83d' })).toBe('https://api.example.cn/api/v1/products/?q=a')
  })
})

describe('headers', () => {
  it('sends the language, no token to public reads, and JSON bodies with their type', async () => {
    const t = setup({ 'GET home/': [json(200, { featured: [] })] }, { language: 'en' })
    await t.client.request('home/', { auth: 'none' })
    expect(t.sent[0].headers).toEqual({ 'Accept-Language': 'en' })
    expect(t.sent[0].timeout).toBe(15000)
  })

  it('sends the Idempotency-Key it is given', async () => {
    const t = setup({ 'POST auth/wechat/': [signInAnswer('t1')], 'POST inquiries/': [json(201, { id: 9 })] })
    await t.client.request('inquiries/', {
      method: 'POST',
      data: { product: 1 },
      auth: 'required',
      idempotencyKey: 'k-1',
    })
    const [inquiry] = t.to('inquiries/')
    expect(inquiry.headers['Idempotency-Key']).toBe('k-1')
    expect(inquiry.headers['Content-Type']).toBe('application/json')
    expect(inquiry.data).toEqual({ product: 1 })
  })
})

describe('silent sign-in', () => {
  it('signs in before the first request that needs the buyer, then sends the token', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1')],
      'GET favourites/': [json(200, { results: [] })],
    })
    await t.client.request('favourites/', { auth: 'required' })
    expect(t.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST https://api.example.cn/api/v1/auth/wechat/',
      'GET https://api.example.cn/api/v1/favourites/',
    ])
    expect(t.sent[0].data).toEqual({ code: 'code-1' })
    expect(t.sent[0].headers.Authorization).toBeUndefined()
    expect(t.sent[1].headers.Authorization).toBe('Bearer t1')
    expect(t.client.signedIn()).toBe(true)
    // The next one reuses the token.
    await t.client.request('favourites/', { auth: 'required' })
    expect(t.logins()).toBe(1)
  })

  it('sends the token to optional reads once signed in, and not before', async () => {
    const t = setup({ 'POST auth/wechat/': [signInAnswer('t1')], 'GET products/3/': [json(200, { id: 3 })] })
    await t.client.request('products/3/', { auth: 'optional' })
    expect(t.sent[0].headers.Authorization).toBeUndefined()
    await t.client.signIn()
    await t.client.request('products/3/', { auth: 'optional' })
    expect(t.to('products/3/')[1].headers.Authorization).toBe('Bearer t1')
  })

  it('shares one sign-in between requests that start together', async () => {
    let release!: () => void
    const gate = new Promise<void>((done) => (release = done))
    const t = setup({
      'POST auth/wechat/': [
        async () => {
          await gate
          return signInAnswer('t1')
        },
      ],
      'GET favourites/': [json(200, { results: [] })],
      'GET me/': [json(200, { id: 1 })],
    })
    const both = Promise.all([
      t.client.request('favourites/', { auth: 'required' }),
      t.client.request('me/', { auth: 'required' }),
    ])
    release()
    await both
    expect(t.logins()).toBe(1)
    expect(t.to('auth/wechat/')).toHaveLength(1)
    expect(t.to('favourites/')[0].headers.Authorization).toBe('Bearer t1')
    expect(t.to('me/')[0].headers.Authorization).toBe('Bearer t1')
  })

  it('signs in again when the session kept on the phone has expired', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2')],
      'GET favourites/': [json(200, { results: [] })],
    })
    await t.client.signIn()
    t.tick(31 * 24 * 3600 * 1000)
    expect(t.client.signedIn()).toBe(false)
    await t.client.request('favourites/', { auth: 'required' })
    expect(t.to('favourites/')[0].headers.Authorization).toBe('Bearer t2')
  })

  it("follows the API's sliding expiry: a token in use stays signed in past its first 30 days", async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1')],
      'GET favourites/': [json(200, { results: [] })],
    })
    await t.client.signIn()
    for (let day = 0; day < 40; day += 10) {
      t.tick(10 * 24 * 3600 * 1000)
      await t.client.request('favourites/', { auth: 'required' })
    }
    expect(t.logins()).toBe(1)
    expect(t.to('favourites/').every((request) => request.headers.Authorization === 'Bearer t1')).toBe(true)
  })

  it('turns a failing wx.login into a Chinese message', async () => {
    const t = setup(
      { 'GET favourites/': [json(200, {})] },
      { login: () => Promise.reject({ errMsg: 'login:fail' }) },
    )
    const error = await failed(t.client.request('favourites/', { auth: 'required' }))
    expect(error.code).toBe('sign_in_failed')
    expect(error.message).toBe('微信登录失败，请稍后重试')
    expect(t.sent).toHaveLength(0)
  })

  it("passes on the API's refusal of the code", async () => {
    const t = setup({
      'POST auth/wechat/': [
        json(503, { error: { code: 'wechat_unavailable', message: '微信服务暂不可用' } }),
      ],
    })
    const error = await failed(t.client.request('favourites/', { auth: 'required' }))
    expect([error.status, error.code, error.message]).toEqual([503, 'wechat_unavailable', '微信服务暂不可用'])
    expect(t.to('auth/wechat/')).toHaveLength(1) // a POST: never repeated on its own
  })
})

describe('401', () => {
  const expired = json(401, { error: { code: 'not_authenticated', message: '请先登录' } })

  it('signs in again and repeats the request once', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2')],
      'GET favourites/': [expired, json(200, { results: [1] })],
    })
    await t.client.signIn()
    expect(await t.client.request('favourites/', { auth: 'required' })).toEqual({ results: [1] })
    expect(t.to('favourites/').map((request) => request.headers.Authorization)).toEqual([
      'Bearer t1',
      'Bearer t2',
    ])
    expect(t.logins()).toBe(2)
  })

  it('does the same for an optional read made with a token (the product page while signed in)', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2')],
      'GET products/3/': [expired, json(200, { id: 3, is_favourite: true })],
    })
    await t.client.signIn()
    expect(await t.client.request('products/3/', { auth: 'optional' })).toEqual({ id: 3, is_favourite: true })
    expect(t.to('products/3/')[1].headers.Authorization).toBe('Bearer t2')
  })

  it('gives up after a second 401, with the API message', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2')],
      'GET favourites/': [expired],
    })
    const error = await failed(t.client.request('favourites/', { auth: 'required' }))
    expect([error.status, error.code, error.message]).toEqual([401, 'not_authenticated', '请先登录'])
    expect(t.to('favourites/')).toHaveLength(2)
    expect(t.logins()).toBe(2)
  })

  it('repeats a POST after a 401 too (the API refused it before doing anything)', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2')],
      'PUT favourites/5/': [expired, json(204, null)],
    })
    await t.client.signIn()
    await t.client.request('favourites/5/', { method: 'PUT', auth: 'required' })
    expect(t.to('favourites/5/')).toHaveLength(2)
  })

  it('signs in once when parallel requests get their 401 together', async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2'), signInAnswer('t3')],
      'GET favourites/': [
        (request) => (request.headers.Authorization === 'Bearer t1' ? expired : json(200, {})),
      ],
      'GET me/': [(request) => (request.headers.Authorization === 'Bearer t1' ? expired : json(200, {}))],
      'GET products/3/': [
        (request) => (request.headers.Authorization === 'Bearer t1' ? expired : json(200, {})),
      ],
    })
    await t.client.signIn()
    await Promise.all([
      t.client.request('favourites/', { auth: 'required' }),
      t.client.request('me/', { auth: 'required' }),
      t.client.request('products/3/', { auth: 'optional' }),
    ])
    expect(t.logins()).toBe(2)
    expect(t.sent.filter((request) => request.headers.Authorization === 'Bearer t2')).toHaveLength(3)
  })

  it('keeps the new token when a late 401 arrives after another request already signed in again', async () => {
    let release!: () => void
    const gate = new Promise<void>((done) => (release = done))
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1'), signInAnswer('t2'), signInAnswer('t3')],
      'GET favourites/': [expired, json(200, {})],
      'GET me/': [
        async () => {
          await gate // answers its 401 after favourites/ has signed in again
          return expired
        },
        json(200, {}),
      ],
    })
    await t.client.signIn()
    const late = t.client.request('me/', { auth: 'required' })
    await t.client.request('favourites/', { auth: 'required' })
    release()
    await late
    expect(t.logins()).toBe(2)
    expect(t.to('me/')[1].headers.Authorization).toBe('Bearer t2')
  })

  it('does not sign in for a 401 to a request that carried no token', async () => {
    const t = setup({ 'GET products/3/': [expired] })
    const error = await failed(t.client.request('products/3/', { auth: 'optional' }))
    expect(error.status).toBe(401)
    expect(t.logins()).toBe(0)
  })
})

describe('errors', () => {
  it("turns the API's error shape into an ApiError with its message and fields", async () => {
    const t = setup({
      'POST auth/wechat/': [signInAnswer('t1')],
      'POST inquiries/': [
        json(400, {
          error: {
            code: 'invalid',
            message: '请检查填写的内容',
            fields: { quantity: ['请输入大于 0 的数量'] },
          },
        }),
      ],
    })
    const error = await failed(t.client.request('inquiries/', { method: 'POST', data: {}, auth: 'required' }))
    expect(error).toMatchObject({ status: 400, code: 'invalid', message: '请检查填写的内容' })
    expect(error.fields).toEqual({ quantity: ['请输入大于 0 的数量'] })
  })

  it('reads an error body WeChat left as a string', async () => {
    const body = JSON.stringify({ error: { code: 'not_found', message: '未找到' } })
    const t = setup({ 'GET products/9/': [json(404, body)] })
    expect(await failed(t.client.request('products/9/'))).toMatchObject({
      code: 'not_found',
      message: '未找到',
    })
  })

  it("gives nginx's HTML 502 a Chinese message, and an English one in English", async () => {
    const page = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    const t = setup({ 'POST auth/wechat/': [signInAnswer('t1')], 'POST inquiries/': [json(502, page)] })
    const error = await failed(t.client.request('inquiries/', { method: 'POST', data: {}, auth: 'required' }))
    expect(error).toMatchObject({ status: 502, code: 'server_error', message: '服务暂时不可用，请稍后重试' })
    t.setLanguage('en')
    const english = await failed(
      t.client.request('inquiries/', { method: 'POST', data: {}, auth: 'required' }),
    )
    expect(english.message).toBe('The service is unavailable for a moment. Please try again.')
  })

  it('names a 404 and a 429 without a body of the API', async () => {
    const t = setup({ 'POST favourites/': [json(404, null)], 'POST inquiries/': [json(429, '')] })
    expect((await failed(t.client.request('favourites/', { method: 'POST', auth: 'none' }))).message).toBe(
      '内容不存在或已下架',
    )
    expect((await failed(t.client.request('inquiries/', { method: 'POST', auth: 'none' }))).message).toBe(
      '操作太频繁，请稍后再试',
    )
  })

  it('turns a network failure and a timeout into Chinese messages', async () => {
    const t = setup({
      'POST a/': [new TransportFailure('network')],
      'POST b/': [new TransportFailure('timeout')],
      'POST c/': [new TypeError('Failed to fetch')],
    })
    expect(await failed(t.client.request('a/', { method: 'POST', auth: 'none' }))).toMatchObject({
      status: 0,
      code: 'network',
      message: '网络不给力，请检查网络后重试',
    })
    expect(await failed(t.client.request('b/', { method: 'POST', auth: 'none' }))).toMatchObject({
      code: 'timeout',
      message: '请求超时，请稍后重试',
    })
    // A transport that throws something else is a network failure too, never a crash.
    expect(await failed(t.client.request('c/', { method: 'POST', auth: 'none' }))).toMatchObject({
      code: 'network',
    })
  })

  it('treats a transport that answers with nothing as no connection', async () => {
    const t = setup({ 'POST a/': [undefined as unknown as TransportResponse] })
    expect(await failed(t.client.request('a/', { method: 'POST', auth: 'none' }))).toMatchObject({
      status: 0,
      code: 'network',
      message: '网络不给力，请检查网络后重试',
    })
  })

  it("treats a 200 that is not the API's JSON (a Wi-Fi portal's page) as no connection", async () => {
    const t = setup({ 'GET home/': [json(200, '<html>请登录 Wi-Fi</html>')] })
    expect(await failed(t.client.request('home/', { auth: 'none', keep: true }))).toMatchObject({
      code: 'bad_response',
      message: '网络不给力，请检查网络后重试',
    })
    expect(t.client.peek('home/')).toBeUndefined()
  })
})

describe('failureKind', () => {
  it("reads WeChat's errMsg and the H5 fetch's abort at the timeout", () => {
    expect(failureKind({ errMsg: 'request:fail timeout' })).toBe('timeout')
    expect(failureKind({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' })).toBe('network')
    expect(
      failureKind(Object.assign(new Error('signal is aborted without reason'), { name: 'AbortError' })),
    ).toBe('timeout')
    expect(failureKind(new TypeError('Failed to fetch'))).toBe('network')
    expect(failureKind(undefined)).toBe('network')
  })
})

describe('retries', () => {
  it('repeats a GET after a network failure and a 503, with growing delays', async () => {
    const t = setup({
      'GET home/': [new TransportFailure('network'), json(503, null), json(200, { featured: [] })],
    })
    expect(await t.client.request('home/', { auth: 'none' })).toEqual({ featured: [] })
    expect(t.to('home/')).toHaveLength(3)
    expect(t.sleeps).toEqual([500, 1000]) // 500 ms × 2^attempt × (0.5 + 0.5 jitter)
  })

  it('stops after two repeats and reports the last failure', async () => {
    const t = setup({ 'GET home/': [json(502, '<html>Bad Gateway</html>')] })
    const error = await failed(t.client.request('home/', { auth: 'none' }))
    expect(error.status).toBe(502)
    expect(t.to('home/')).toHaveLength(3)
  })

  it('honours Retry-After in seconds, capped at 5 s', async () => {
    const t = setup({
      'GET home/': [
        json(429, { error: { code: 'throttled', message: '请求过于频繁' } }, { 'retry-after': '2' }),
        json(503, null, { 'Retry-After': '60' }),
        json(200, {}),
      ],
    })
    await t.client.request('home/', { auth: 'none' })
    expect(t.sleeps).toEqual([2000, 5000])
  })

  it('honours Retry-After as an HTTP date', async () => {
    const t = setup({
      'GET home/': [json(503, null, { 'retry-after': new Date(NOW + 3000).toUTCString() }), json(200, {})],
    })
    await t.client.request('home/', { auth: 'none' })
    expect(t.sleeps).toEqual([3000])
  })

  it("passes on the API's 429 message when the repeats are throttled too", async () => {
    const t = setup({
      'GET home/': [
        json(429, { error: { code: 'throttled', message: '请求过于频繁' } }, { 'retry-after': '1' }),
      ],
    })
    expect(await failed(t.client.request('home/', { auth: 'none' }))).toMatchObject({
      status: 429,
      message: '请求过于频繁',
    })
    expect(t.sleeps).toEqual([1000, 1000])
  })

  it('never repeats a POST, PUT or DELETE on its own', async () => {
    const t = setup({
      'POST inquiries/': [new TransportFailure('network')],
      'PUT favourites/5/': [json(503, null)],
      'DELETE favourites/5/': [json(502, null)],
    })
    await failed(t.client.request('inquiries/', { method: 'POST', auth: 'none', idempotencyKey: 'k' }))
    await failed(t.client.request('favourites/5/', { method: 'PUT', auth: 'none' }))
    await failed(t.client.request('favourites/5/', { method: 'DELETE', auth: 'none' }))
    expect(t.sent).toHaveLength(3)
    expect(t.sleeps).toEqual([])
  })

  it('does not repeat a timeout, nor a 4xx', async () => {
    const t = setup({
      'GET home/': [new TransportFailure('timeout')],
      'GET products/': [json(400, { error: { code: 'invalid', message: '参数有误' } })],
    })
    await failed(t.client.request('home/', { auth: 'none' }))
    await failed(t.client.request('products/', { auth: 'none' }))
    expect(t.sent).toHaveLength(2)
  })
})

describe('kept answers (ETag)', () => {
  const home = { featured: [{ id: 1 }] }

  it('keeps an answer with its ETag, sends If-None-Match, and answers a 304 with the kept body', async () => {
    const t = setup({ 'GET home/': [json(200, home, { ETag: '"v1"' }), json(304, null, { etag: '"v1"' })] })
    expect(t.client.peek('home/')).toBeUndefined()
    await t.client.request('home/', { auth: 'none', keep: true })
    expect(t.client.peek('home/')).toEqual(home)
    expect(await t.client.request('home/', { auth: 'none', keep: true })).toEqual(home)
    expect(t.sent[0].headers['If-None-Match']).toBeUndefined()
    expect(t.sent[1].headers['If-None-Match']).toBe('"v1"')
  })

  it('replaces the kept answer when it changed', async () => {
    const t = setup({
      'GET home/': [json(200, home, { etag: '"v1"' }), json(200, { featured: [] }, { etag: '"v2"' })],
    })
    await t.client.request('home/', { auth: 'none', keep: true })
    await t.client.request('home/', { auth: 'none', keep: true })
    expect(t.client.peek('home/')).toEqual({ featured: [] })
  })

  it('asks again without If-None-Match when a 304 comes with nothing kept', async () => {
    const t = setup({ 'GET home/': [json(304, null), json(200, home, { etag: '"v1"' })] })
    expect(await t.client.request('home/', { auth: 'none', keep: true })).toEqual(home)
    expect(t.sent).toHaveLength(2)
    expect(t.sent.every((request) => request.headers['If-None-Match'] === undefined)).toBe(true)
  })

  it('keeps answers per language and per signed-in state', async () => {
    const t = setup({
      'GET products/3/': [
        (request) =>
          json(
            200,
            { lang: request.headers['Accept-Language'], auth: Boolean(request.headers.Authorization) },
            { etag: '"x"' },
          ),
      ],
      'POST auth/wechat/': [signInAnswer('t1')],
    })
    await t.client.request('products/3/', { keep: true })
    t.setLanguage('en')
    expect(t.client.peek('products/3/')).toBeUndefined()
    await t.client.request('products/3/', { keep: true })
    expect(t.client.peek('products/3/')).toEqual({ lang: 'en', auth: false })
    await t.client.signIn()
    // Signed in: the buyer's own answer (is_favourite) once there is one; the guest's until then.
    expect(t.client.peek('products/3/')).toEqual({ lang: 'en', auth: false })
    await t.client.request('products/3/', { keep: true })
    expect(t.client.peek('products/3/')).toEqual({ lang: 'en', auth: true })
    t.setLanguage('zh-hans')
    expect(t.client.peek('products/3/')).toEqual({ lang: 'zh-hans', auth: false })
    // Signing out (deleting the account) forgets the buyer's answers, not the guest's.
    t.setLanguage('en')
    t.client.signOut()
    expect(t.client.peek('products/3/')).toEqual({ lang: 'en', auth: false })
  })

  it('keeps public reads under the guest key even when signed in, so peek finds them', async () => {
    const t = setup({
      'GET home/': [json(200, home, { etag: '"v1"' })],
      'POST auth/wechat/': [signInAnswer('t1')],
    })
    await t.client.signIn()
    await t.client.request('home/', { auth: 'none', keep: true })
    expect(t.client.peek('home/')).toEqual(home)
  })

  it('finds the answer of a `next` link by the same address', async () => {
    const t = setup({ 'GET products/': [json(200, { results: [2] }, { etag: '"p2"' })] })
    await t.client.request('http://internal:8000/api/v1/products/?page=2&q=%E9%A6%99', {
      auth: 'none',
      keep: true,
    })
    expect(t.sent[0].url).toBe('https://api.example.cn/api/v1/products/?page=2&q=%E9%A6%99')
    expect(t.client.peek('products/', { q: '香', page: 2 })).toEqual({ results: [2] })
  })

  it('forgets a kept answer that is gone (404)', async () => {
    const t = setup({
      'GET products/3/': [
        json(200, { id: 3 }, { etag: '"a"' }),
        json(404, { error: { code: 'not_found', message: '未找到' } }),
      ],
    })
    await t.client.request('products/3/', { keep: true })
    await failed(t.client.request('products/3/', { keep: true }))
    expect(t.client.peek('products/3/')).toBeUndefined()
  })

  it('evicts the least recently used answer past the limit (a 304 counts as a use)', async () => {
    const t = setup(
      {
        'GET products/1/': [json(200, { id: 1 }, { etag: '"1"' }), json(304, null)],
        'GET products/2/': [json(200, { id: 2 }, { etag: '"2"' })],
        'GET products/3/': [json(200, { id: 3 }, { etag: '"3"' })],
        'GET products/4/': [json(200, { id: 4 }, { etag: '"4"' })],
      },
      { keptLimit: 3 },
    )
    for (const id of [1, 2, 3]) await t.client.request(`products/${id}/`, { keep: true, auth: 'none' })
    await t.client.request('products/1/', { keep: true, auth: 'none' }) // 304: 1 is now the newest
    await t.client.request('products/4/', { keep: true, auth: 'none' })
    expect([1, 2, 3, 4].map((id) => t.client.peek<{ id: number }>(`products/${id}/`)?.id)).toEqual([
      1,
      undefined,
      3,
      4,
    ])
  })

  it('makes room when storage is full, and still answers when nothing fits', async () => {
    const inner = memoryStore()
    let capacity = 3 // kept answers that fit (the index and the session always do)
    const store: KeyValueStore = {
      get: inner.get,
      set(key, value) {
        if (key.startsWith('pti.kept:') && inner.get(key) === undefined) {
          if (capacity <= 0) throw new Error('setStorageSync:fail exceed storage max size 10MB')
          capacity--
        }
        inner.set(key, value)
      },
      remove(key) {
        if (key.startsWith('pti.kept:') && inner.get(key) !== undefined) capacity++
        inner.remove(key)
      },
    }
    const t = setup(
      Object.fromEntries(
        [1, 2, 3, 4, 5].map((id) => [`GET products/${id}/`, [json(200, { id }, { etag: `"${id}"` })]]),
      ),
      { store },
    )
    for (const id of [1, 2, 3, 4]) await t.client.request(`products/${id}/`, { keep: true, auth: 'none' })
    // The fourth did not fit: the older half (1, 2) went to make room.
    expect([1, 2, 3, 4].map((id) => t.client.peek<{ id: number }>(`products/${id}/`)?.id)).toEqual([
      undefined,
      undefined,
      3,
      4,
    ])
    capacity = -100 // nothing fits any more
    expect(await t.client.request('products/5/', { keep: true, auth: 'none' })).toEqual({ id: 5 })
  })

  it('clears every kept answer', async () => {
    const t = setup({ 'GET home/': [json(200, home, { etag: '"v1"' })] })
    await t.client.request('home/', { auth: 'none', keep: true })
    t.client.clearKept()
    expect(t.client.peek('home/')).toBeUndefined()
  })
})
