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
export class Collection<T extends object> implements Iterable<T> {
  private rows: T[] = []
  private readonly byKey = new Map<string, T>()
  /** Index value -> the keys having it: one key as a plain string (most index values are unique), several as a Set. */
  private readonly indexes = new Map<string, Map<string, string | Set<string>>>()
  private readonly indexedValue = new Map<string, Map<string, string | undefined>>()
  private readonly touched = new Set<string>()
  private readonly indexList: [string, (record: T) => string | undefined, Map<string, string | Set<string>>, Map<string, string | undefined>][] = []
  private readonly dirtyKeys = new Set<string>()
  /** Set by the store while a mutation runs: lookups then mark what they return as touched. */
  tracking = false

  constructor(
    readonly name: string,
    readonly keyOf: (record: T) => string,
    indexDefs: Record<string, (record: T) => string | undefined> = {},
  ) {
    for (const [index, define] of Object.entries(indexDefs)) {
      this.indexes.set(index, new Map())
      this.indexedValue.set(index, new Map())
      this.indexList.push([index, define, this.indexes.get(index)!, this.indexedValue.get(index)!])
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
    const keys = this.indexes.get(name)?.get(value)
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
    for (const map of this.indexes.values()) map.clear()
    for (const map of this.indexedValue.values()) map.clear()
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

  private reindex(key: string): void {
    const record = this.byKey.get(key)
    for (const [, define, index, values] of this.indexList) {
      const before = values.get(key)
      const after = record ? define(record) : undefined
      if (before === after) continue
      if (before !== undefined) {
        const held = index.get(before)
        if (held === key) index.delete(before)
        else if (held instanceof Set) {
          held.delete(key)
          if (held.size === 1) index.set(before, held.values().next().value!)
        }
      }
      if (after !== undefined) {
        const held = index.get(after)
        if (held === undefined) index.set(after, key)
        else if (typeof held === 'string') index.set(after, new Set([held, key]))
        else held.add(key)
      }
      // Only indexed records are remembered: most orders are in no "open sheet" index.
      if (after === undefined) values.delete(key)
      else values.set(key, after)
    }
  }
}
