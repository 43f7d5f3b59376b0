/**
 * An insertion-ordered table with a primary key and secondary indexes, read like an array.
 * It exists so that a write touches only the records that changed: while the store runs a
 * mutation, every record the mutation looks up or adds is marked dirty, and only those are
 * appended to the journal. Lookups by key or index are O(1); `find` and `filter` scan.
 *
 * Index functions return the index value of a record, or undefined to leave it out; they
 * are recomputed for the touched records after each mutation, so an index may depend on a
 * field that changes (e.g. "open sheets" on an order's status).
 */
/**
 * How a record's index value is computed. `fixed`: the value is set when the record is
 * added and never changes (it reads fields that never change, such as appId and
 * outTradeNo), so the index is not recomputed on each mutation nor remembered per record:
 * the big indexes cost little to keep and to rebuild on open.
 */
export type IndexDef<T> = ((record: T) => string | undefined) | { fixed: (record: T) => string | undefined }

interface IndexState<T> {
  define: (record: T) => string | undefined
  fixed: boolean
  /**
   * Fixed indexes are built on first use: opening 100,000 orders need not index them all
   * before the first request (the first lookup pays, once, about 0.1 s there).
   */
  built: boolean
  /** Index value -> the keys having it: one key as a plain string (most values are unique), several as a Set. */
  keys: Map<string, string | Set<string>>
  /** Mutable indexes only: each indexed record's current value, to move it when it changes. */
  valueOf: Map<string, string>
}

export class Collection<T extends object> implements Iterable<T> {
  private rows: T[] = []
  private readonly byKey = new Map<string, T>()
  private readonly indexes = new Map<string, IndexState<T>>()
  private readonly touched = new Set<string>()
  private readonly dirtyKeys = new Set<string>()
  /** Set by the store while a mutation runs: lookups then mark what they return as touched. */
  tracking = false

  constructor(
    readonly name: string,
    readonly keyOf: (record: T) => string,
    indexDefs: Record<string, IndexDef<T>> = {},
  ) {
    for (const [index, def] of Object.entries(indexDefs)) {
      const fixed = typeof def !== 'function'
      this.indexes.set(index, { define: fixed ? def.fixed : def, fixed, built: !fixed, keys: new Map(), valueOf: new Map() })
    }
  }

  get length(): number {
    return this.rows.length
  }

  private touch(record: T | undefined): T | undefined {
    if (record && this.tracking) this.touched.add(this.keyOf(record))
    return record
  }

  get(key: string): T | undefined {
    return this.touch(this.byKey.get(key))
  }

  at(index: number): T | undefined {
    return this.touch(this.rows.at(index))
  }

  /** Records whose index `name` has `value`, in insertion order. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name)
    if (index && !index.built) this.buildFixed(index)
    const keys = index?.keys.get(value)
    if (keys === undefined) return []
    const records = typeof keys === 'string' ? [this.byKey.get(keys)!] : [...keys].map((key) => this.byKey.get(key)!)
    records.forEach((r) => this.touch(r))
    return records
  }

  firstByIndex(name: string, value: string): T | undefined {
    return this.byIndex(name, value)[0]
  }

  find(predicate: (record: T) => boolean): T | undefined {
    return this.touch(this.rows.find(predicate))
  }

  filter(predicate: (record: T) => boolean): T[] {
    const found = this.rows.filter(predicate)
    found.forEach((r) => this.touch(r))
    return found
  }

  some(predicate: (record: T) => boolean): boolean {
    return this.rows.some(predicate)
  }

  map<U>(fn: (record: T) => U): U[] {
    return this.rows.map(fn)
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const record of this.rows) yield this.touch(record)!
  }

  /** Adds records; a key already present is replaced in place. */
  push(...records: T[]): number {
    for (const record of records) {
      const key = this.keyOf(record)
      const existing = this.byKey.get(key)
      if (existing) this.rows[this.rows.indexOf(existing)] = record
      else this.rows.push(record)
      this.byKey.set(key, record)
      this.touched.add(key)
      if (!existing) this.indexFixed(key, record)
      this.reindex(key)
    }
    return this.rows.length
  }

  toJSON(): T[] {
    return this.rows
  }

  /** Loads records without marking them dirty (replaying the journal). */
  load(records: Iterable<T>): void {
    this.byKey.clear()
    for (const index of this.indexes.values()) {
      index.keys.clear()
      index.valueOf.clear()
      if (index.fixed) index.built = false
    }
    // A replayed journal holds every version of a record: the last one wins, in the place
    // of the first (a Map keeps a key's first position when its value is replaced).
    for (const record of records) this.byKey.set(this.keyOf(record), record)
    this.rows = [...this.byKey.values()]
    for (const key of this.byKey.keys()) this.reindex(key)
    this.touched.clear()
    this.dirtyKeys.clear()
  }

  /** Ends a mutation: re-indexes what it touched and queues those records for the journal. */
  settle(): void {
    for (const key of this.touched) {
      this.reindex(key)
      this.dirtyKeys.add(key)
    }
    this.touched.clear()
  }

  /** The records changed since the last call, for the journal. */
  takeDirty(): T[] {
    const records = [...this.dirtyKeys].map((key) => this.byKey.get(key)).filter((r): r is T => r !== undefined)
    this.dirtyKeys.clear()
    return records
  }

  private buildFixed(index: IndexState<T>): void {
    for (const [key, record] of this.byKey) {
      const value = index.define(record)
      if (value !== undefined) addKey(index.keys, value, key)
    }
    index.built = true
  }

  private indexFixed(key: string, record: T): void {
    for (const index of this.indexes.values()) {
      if (!index.fixed || !index.built) continue
      const value = index.define(record)
      if (value !== undefined) addKey(index.keys, value, key)
    }
  }

  /** Moves a record within its mutable indexes after a change. */
  private reindex(key: string): void {
    const record = this.byKey.get(key)
    for (const index of this.indexes.values()) {
      if (index.fixed) continue
      const before = index.valueOf.get(key)
      const after = record ? index.define(record) : undefined
      if (before === after) continue
      if (before !== undefined) removeKey(index.keys, before, key)
      if (after !== undefined) addKey(index.keys, after, key)
      // Only indexed records are remembered: most orders are in no "open sheet" index.
      if (after === undefined) index.valueOf.delete(key)
      else index.valueOf.set(key, after)
    }
  }
}

function addKey(keys: Map<string, string | Set<string>>, value: string, key: string): void {
  const held = keys.get(value)
  if (held === undefined) keys.set(value, key)
  else if (typeof held === 'string') {
    if (held !== key) keys.set(value, new Set([held, key]))
  } else held.add(key)
}

function removeKey(keys: Map<string, string | Set<string>>, value: string, key: string): void {
  const held = keys.get(value)
  if (held === key) keys.delete(value)
  else if (held instanceof Set) {
    held.delete(key)
    if (held.size === 1) keys.set(value, held.values().next().value!)
  }
}
