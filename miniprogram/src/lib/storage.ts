// Key-value storage on the phone, as the request module and the stores use it. The Taro
// implementation is bound in src/api/index.ts; tests pass an in-memory one.
export interface KeyValueStore {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
  remove(key: string): void
}

export function memoryStore(): KeyValueStore {
  const data = new Map<string, string>()
  return {
    get: <T>(key: string) => (data.has(key) ? (JSON.parse(data.get(key)!) as T) : undefined),
    set: (key, value) => void data.set(key, JSON.stringify(value)),
    remove: (key) => void data.delete(key),
  }
}
