/**
 * wx's storage (`setStorageSync`, `getStorage`…), one per mini game and player. The whole
 * of it is in memory from the start, so the Sync calls answer at once; every change is
 * also sent to the host shell page, which keeps it (IndexedDB) for the next launch.
 * Limits as WeChat documents them: 1 MB per key, 10 MB in all.
 */
import { failed, ok, runAsync } from './callbacks'
import { natives } from './natives'

export const STORAGE_KEY_LIMIT_BYTES = 1024 * 1024
export const STORAGE_LIMIT_BYTES = 10 * 1024 * 1024

export type StorageChange = { op: 'set'; key: string; value: unknown } | { op: 'remove'; key: string } | { op: 'clear' }

/** Bytes a value takes in storage: its JSON text in UTF-8 (Dates as their ISO string). */
function sizeOf(key: string, value: unknown): number {
  const text = JSON.stringify(value) ?? ''
  return new natives.Blob([key, text]).size
}

/**
 * Sync failures throw, with the platform's errMsg as the message. Kept beside SimulatorError
 * (the package's error class): this one is thrown into the mini game's own code in the
 * browser worker and carries the platform's `errMsg` ("setStorageSync:fail …"), which the
 * async APIs hand to the game's fail callback; SimulatorError is a server class with HTTP
 * codes and statuses the worker has no use for.
 */
class StorageError extends Error {
  constructor(readonly errMsg: string) {
    super(errMsg)
  }
}

export function createStorage(initial: Record<string, unknown>, persist: (change: StorageChange) => void) {
  const entries = new Map<string, { value: unknown; bytes: number }>()
  for (const [key, value] of Object.entries(initial)) entries.set(key, { value, bytes: sizeOf(key, value) })
  const total = () => [...entries.values()].reduce((sum, entry) => sum + entry.bytes, 0)

  function checkKey(api: string, key: unknown): string {
    if (typeof key !== 'string' || key === '') throw new StorageError(`${api}:fail parameter error: parameter.key should be a non-empty String`)
    return key
  }

  function set(api: string, rawKey: unknown, data: unknown): void {
    const key = checkKey(api, rawKey)
    let value: unknown
    try {
      value = natives.structuredClone(data)
    } catch {
      throw new StorageError(`${api}:fail data must be a native type, a Date or an object JSON.stringify can serialize`)
    }
    const bytes = sizeOf(key, value)
    if (bytes > STORAGE_KEY_LIMIT_BYTES) throw new StorageError(`${api}:fail data of key "${key}" exceeds the 1 MB limit of one key`)
    if (total() - (entries.get(key)?.bytes ?? 0) + bytes > STORAGE_LIMIT_BYTES) throw new StorageError(`${api}:fail exceed storage max size 10MB`)
    entries.set(key, { value, bytes })
    persist({ op: 'set', key, value })
  }

  function get(key: string): { found: boolean; value: unknown } {
    const entry = entries.get(key)
    // A copy each time: changing what was read does not change what is stored.
    return entry ? { found: true, value: natives.structuredClone(entry.value) } : { found: false, value: '' }
  }

  function remove(key: string): void {
    if (entries.delete(key)) persist({ op: 'remove', key })
  }

  function clear(): void {
    entries.clear()
    persist({ op: 'clear' })
  }

  const info = () => ({ keys: [...entries.keys()], currentSize: Math.ceil(total() / 1024), limitSize: STORAGE_LIMIT_BYTES / 1024 })

  const asyncCall = (api: string, option: unknown, work: (o: Record<string, unknown>) => ReturnType<typeof ok>) =>
    runAsync(api, option, () => {
      try {
        return work((option ?? {}) as Record<string, unknown>)
      } catch (error) {
        if (error instanceof StorageError) return { ok: false, result: { errMsg: error.errMsg.replace(/^\w+Sync:/, `${api}:`) } }
        throw error
      }
    })

  return {
    setStorageSync: (key: unknown, data: unknown) => set('setStorageSync', key, data),
    getStorageSync: (key: unknown) => get(checkKey('getStorageSync', key)).value,
    removeStorageSync: (key: unknown) => remove(checkKey('removeStorageSync', key)),
    clearStorageSync: () => clear(),
    getStorageInfoSync: () => info(),
    setStorage: (option: unknown) =>
      asyncCall('setStorage', option, (o) => {
        set('setStorage', o.key, o.data)
        return ok('setStorage')
      }),
    getStorage: (option: unknown) =>
      asyncCall('getStorage', option, (o) => {
        const { found, value } = get(checkKey('getStorage', o.key))
        return found ? ok('getStorage', { data: value }) : failed('getStorage', 'data not found')
      }),
    removeStorage: (option: unknown) =>
      asyncCall('removeStorage', option, (o) => {
        remove(checkKey('removeStorage', o.key))
        return ok('removeStorage')
      }),
    clearStorage: (option?: unknown) =>
      asyncCall('clearStorage', option, () => {
        clear()
        return ok('clearStorage')
      }),
    getStorageInfo: (option?: unknown) => asyncCall('getStorageInfo', option, () => ok('getStorageInfo', info())),
  }
}
