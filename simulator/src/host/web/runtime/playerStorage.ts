/**
 * Where the host shell keeps a mini game's wx storage between launches: the page's
 * IndexedDB, one entry per key under a scope of sandbox, mini game and player (the
 * platform keeps storage per game and per user). Writes are queued in order, so the last
 * one of a key wins, as in the worker's memory.
 */
const DATABASE = 'superapp-sim-minigame-storage'
const STORE = 'entries'

type Key = [scope: string, key: string]

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'))
  })
}

/** Every key of one scope: from [scope] up to [scope, []], as arrays sort after strings. */
function scopeRange(scope: string): IDBKeyRange {
  return IDBKeyRange.bound([scope], [scope, []])
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve()
    transaction.onerror = () => reject(transaction.error ?? new Error('storage write failed'))
    transaction.onabort = () => reject(transaction.error ?? new Error('storage write aborted'))
  })
}

export interface PlayerStorage {
  /** Everything stored for this scope, by key. */
  load(): Promise<Record<string, unknown>>
  set(key: string, value: unknown): Promise<void>
  remove(key: string): Promise<void>
  clear(): Promise<void>
}

/**
 * The storage of one player in one mini game.
 *
 * @example
 * const storage = openPlayerStorage(`default|${appId}|${playerId}`)
 * await storage.set('best', 42)
 */
export function openPlayerStorage(scope: string): PlayerStorage {
  const database = open()
  const write = async (change: (store: IDBObjectStore) => void) => {
    const transaction = (await database).transaction(STORE, 'readwrite')
    change(transaction.objectStore(STORE))
    await done(transaction)
  }
  return {
    async load() {
      const transaction = (await database).transaction(STORE, 'readonly')
      const store = transaction.objectStore(STORE)
      const [keys, values] = await Promise.all(
        [store.getAllKeys(scopeRange(scope)), store.getAll(scopeRange(scope))].map(
          (request) => new Promise<unknown[]>((resolve, reject) => {
            request.onsuccess = () => resolve(request.result as unknown[])
            request.onerror = () => reject(request.error ?? new Error('storage read failed'))
          }),
        ),
      )
      return Object.fromEntries(keys!.map((key, i) => [(key as Key)[1], values![i]]))
    },
    set: (key, value) => write((store) => store.put(value, [scope, key] satisfies Key)),
    remove: (key) => write((store) => store.delete([scope, key] satisfies Key)),
    clear: () => write((store) => store.delete(scopeRange(scope))),
  }
}
