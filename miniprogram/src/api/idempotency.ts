// Idempotency-Key for POST inquiries/ (docs/api.md): the API answers the same key with the
// first inquiry, never a second one. The request module never repeats a POST on its own; the
// inquiry form does, when the buyer taps 重试, and must send the same key then, and a new key
// once the inquiry went through or the buyer changed what it says (the API refuses a key
// reused with another body: 409 idempotency_conflict).

/** A new key: 32 random hex digits after the time, printable ASCII (the API takes up to 64). */
export function newIdempotencyKey(random: () => number = Math.random, now: () => number = Date.now): string {
  let hex = ''
  // A browser's crypto (H5); WeChat's JS engine has none (and older ones no globalThis either).
  const source =
    typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function' ? crypto : undefined
  if (random === Math.random && source) {
    source.getRandomValues(new Uint8Array(16)).forEach((byte) => (hex += byte.toString(16).padStart(2, '0')))
  } else {
    for (let i = 0; i < 32; i++) hex += Math.floor(random() * 16).toString(16)
  }
  return `${now().toString(36)}-${hex}`
}

export interface IdempotencyKeys {
  /** The key for sending `body`: the same as last time while the body is the same. */
  keyFor(body: unknown): string
  /** The inquiry went through: the next one gets a new key. */
  done(): void
}

/** One per inquiry form: `api.request('inquiries/', {method: 'POST', data, idempotencyKey: keys.keyFor(data)})`. */
export function idempotencyKeys(make: () => string = newIdempotencyKey): IdempotencyKeys {
  let current: { body: string; key: string } | undefined
  return {
    keyFor(body) {
      const text = JSON.stringify(body) ?? ''
      if (!current || current.body !== text) current = { body: text, key: make() }
      return current.key
    },
    done() {
      current = undefined
    },
  }
}
