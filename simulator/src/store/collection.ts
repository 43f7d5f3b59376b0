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
  private readonly indexes = new Map<string, Map<string, Set<string>>>()
  private readonly indexedValue = new Map<string, Map<string, string | undefined>>()
  private readonly touched = new Set<string>()
  private readonly dirtyKeys = new Set<string>()
  /** Set by the store while a mutation runs: lookups then mark what they return as touched. */
  tracking = false

  constructor(
    readonly name: string,
    readonly keyOf: (record: T) => string,
    private readonly indexDefs: Record<string, (record: T) => string | undefined> = {},
  ) {
    for (const index of Object.keys(indexDefs)) {
      this.indexes.set(index, new Map())
      this.indexedValue.set(index, new Map())
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
    if (!keys) return []
    const records = [...keys].map((key) => this.byKey.get(key)!)
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
    this.rows = []
    this.byKey.clear()
    for (const map of this.indexes.values()) map.clear()
    for (const map of this.indexedValue.values()) map.clear()
    for (const record of records) {
      const key = this.keyOf(record)
      if (!this.byKey.has(key)) this.rows.push(record)
      else this.rows[this.rows.indexOf(this.byKey.get(key)!)] = record
      this.byKey.set(key, record)
    }
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
    for (const [name, define] of Object.entries(this.indexDefs)) {
      const values = this.indexedValue.get(name)!
      const index = this.indexes.get(name)!
      const before = values.get(key)
      const after = record ? define(record) : undefined
      if (before === after && values.has(key)) continue
      if (before !== undefined) {
        const set = index.get(before)
        set?.delete(key)
        if (set && set.size === 0) index.delete(before)
      }
      if (after !== undefined) {
        let set = index.get(after)
        if (!set) index.set(after, (set = new Set()))
        set.add(key)
      }
      values.set(key, after)
    }
  }
}
