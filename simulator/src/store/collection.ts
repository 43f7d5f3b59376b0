/**
 * An insertion-ordered table with a primary key and secondary indexes, read like an array.
 * It exists so that a write touches only the records that changed: while the store runs a
 * mutation, every record the mutation looks up or adds is marked dirty, and only those are
 * written to the journal; a change to a few fields of a record can be journalled as a
 * patch instead (`patch`). Lookups by key or index are O(1); `find` and `filter` scan.
 *
 * Records read from a snapshot are parsed when first used (docs/decisions/005-store.md):
 * opening 100,000 orders parses none of them, and a mutable index is built from the
 * snapshot's columns of the fields it reads. A scan parses every record, once.
 */

/**
 * How a record's index value is computed from some of its fields. `fields` names what
 * `value` reads (the compiler holds `value` to them: see `indexOn`): the snapshot keeps
 * those fields as columns, so the index is built without parsing the records. `fixed`: the
 * value never changes once the record is added (it reads fields that never change, such as
 * appId and outTradeNo), so it is not recomputed on each mutation and is built on first
 * use, not on open.
 */
export interface IndexDef<T> {
  readonly fields: readonly (keyof T & string)[]
  readonly value: (record: T) => string | undefined
  readonly fixed: boolean
}

/**
 * Declares an index of a T over some of its fields.
 *
 * @example
 * const orderIndex = indexOn<Order>()
 * orderIndex(['status'], (o) => (o.status === OrderStatus.PAID ? 'paid' : undefined))
 */
export function indexOn<T>() {
  return <F extends keyof T & string>(fields: readonly F[], value: (record: Pick<T, F>) => string | undefined, options: { fixed?: boolean } = {}): IndexDef<T> => ({
    fields,
    value,
    fixed: options.fixed ?? false,
  })
}

/** A change to some fields of a record, journalled as itself rather than as the whole record. */
export interface RecordPatch {
  /** Fields to set. */
  set?: Record<string, unknown>
  /** Fields to remove (set to undefined). */
  unset?: string[]
  /** Items to add at the end of array fields. */
  append?: Record<string, unknown[]>
}

/** Applies a patch to a record in place. */
function applyPatch(record: object, patch: RecordPatch): void {
  const target = record as Record<string, unknown>
  Object.assign(target, patch.set)
  for (const field of patch.unset ?? []) delete target[field]
  for (const [field, items] of Object.entries(patch.append ?? {})) {
    const list = target[field]
    if (!Array.isArray(list)) throw new Error(`cannot append to ${field}: not a list`)
    list.push(...items)
  }
}

/** What a mutation changed since the last write: whole records, and patches of the others. */
interface TableChanges<T> {
  records: T[]
  patches: { key: string; patch: RecordPatch }[]
}

/** A journalled change, read back: a whole record, or a patch of the record with that key. */
export type TableEntry<T> = { record: T } | { key: string; patch: RecordPatch }

/**
 * Rows of a snapshot, parsed on demand. Positions are the rows' order in the snapshot.
 * Implemented by snapshot.ts; the collection does not know the file's layout.
 */
export interface LazyRows {
  readonly count: number
  /** Every row's key, decoded on first call. */
  keys(): readonly string[]
  /** Every row's value of `field`, or undefined when the snapshot kept no column for it. */
  column(field: string): readonly unknown[] | undefined
  /** The row's record, parsed (and checked) now. */
  record(position: number): unknown
  /** The row's JSON, for the next snapshot: an unparsed row is copied without parsing it. */
  text(position: number): Uint8Array
}

/** A row as the next snapshot writes it. */
export interface SnapshotRow {
  key: string
  /** The record's JSON: a string for a parsed record, the old bytes for one never parsed. */
  text: string | Uint8Array
}

interface IndexState<T> {
  def: IndexDef<T>
  built: boolean
  /** Index value -> the positions having it: one as a number (most values are unique), several as a Set. */
  positions: Map<string, number | Set<number>>
  /** Mutable indexes only: each indexed position's current value, to move it when it changes. */
  valueOf: Map<number, string>
}

export class Collection<T extends object> implements Iterable<T> {
  /** By position; undefined for a snapshot row not parsed yet. */
  private records: (T | undefined)[] = []
  private lazy?: { rows: LazyRows; parse: (raw: unknown, position: number) => T; parsed: number }
  /** Key -> position, built on first need (a start need not decode 100,000 keys). */
  private positionOfKey?: Map<string, number>
  private readonly indexes = new Map<string, IndexState<T>>()
  private readonly touched = new Set<number>()
  private readonly dirty = new Set<number>()
  private patches: { position: number; patch: RecordPatch }[] = []
  /** Set by the store while a mutation runs: lookups then mark what they return as touched. */
  tracking = false

  constructor(
    readonly name: string,
    readonly keyField: keyof T & string,
    indexDefs: Record<string, IndexDef<T>> = {},
  ) {
    for (const [index, def] of Object.entries(indexDefs)) this.indexes.set(index, { def, built: !def.fixed, positions: new Map(), valueOf: new Map() })
  }

  keyOf(record: T): string {
    return record[this.keyField] as string
  }

  get length(): number {
    return this.records.length
  }

  /** How many snapshot rows have been parsed (all records count as parsed without a snapshot). */
  get parsedCount(): number {
    return this.lazy ? this.lazy.parsed + this.records.length - this.lazy.rows.count : this.records.length
  }

  /** The fields the indexes read: the columns a snapshot keeps. */
  get indexedFields(): string[] {
    return [...new Set([...this.indexes.values()].flatMap((index) => index.def.fields))]
  }

  private touch(position: number): T {
    const record = this.recordAt(position)
    if (this.tracking) this.touched.add(position)
    return record
  }

  get(key: string): T | undefined {
    const position = this.positions().get(key)
    return position === undefined ? undefined : this.touch(position)
  }

  at(index: number): T | undefined {
    const position = index < 0 ? this.records.length + index : index
    return position >= 0 && position < this.records.length ? this.touch(position) : undefined
  }

  /** Records whose index `name` has `value`, in insertion order. */
  byIndex(name: string, value: string): T[] {
    const index = this.builtIndex(name)
    const held = index.positions.get(value)
    if (held === undefined) return []
    // A fixed index gains positions in insertion order; a mutable one in the order records changed.
    const positions = typeof held === 'number' ? [held] : index.def.fixed ? [...held] : [...held].sort((a, b) => a - b)
    return positions.map((position) => this.touch(position))
  }

  firstByIndex(name: string, value: string): T | undefined {
    return this.byIndex(name, value)[0]
  }

  /** Every record that has some value in index `name` (e.g. every open sheet), in insertion order. */
  allIndexed(name: string): T[] {
    const positions = [...this.builtIndex(name).positions.values()].flatMap((held) => (typeof held === 'number' ? [held] : [...held]))
    return positions.sort((a, b) => a - b).map((position) => this.touch(position))
  }

  find(predicate: (record: T) => boolean): T | undefined {
    for (let position = 0; position < this.records.length; position++) {
      if (predicate(this.recordAt(position))) return this.touch(position)
    }
    return undefined
  }

  filter(predicate: (record: T) => boolean): T[] {
    const found: T[] = []
    for (let position = 0; position < this.records.length; position++) {
      if (predicate(this.recordAt(position))) found.push(this.touch(position))
    }
    return found
  }

  some(predicate: (record: T) => boolean): boolean {
    for (let position = 0; position < this.records.length; position++) if (predicate(this.recordAt(position))) return true
    return false
  }

  map<U>(fn: (record: T) => U): U[] {
    const mapped: U[] = []
    for (let position = 0; position < this.records.length; position++) mapped.push(fn(this.recordAt(position)))
    return mapped
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let position = 0; position < this.records.length; position++) yield this.touch(position)
  }

  /** Adds records; a key already present is replaced in place. */
  push(...records: T[]): number {
    for (const record of records) this.put(record)
    for (const record of records) this.touched.add(this.positions().get(this.keyOf(record))!)
    return this.records.length
  }

  /**
   * Inside a mutation: changes some fields of a record and journals only the change (a
   * field set to undefined is removed), so a record that grows (a notification's attempts)
   * is not written whole each time. Returns the record, or undefined when there is none.
   */
  patch(key: string, change: { set?: Partial<T>; append?: { [K in keyof T]?: T[K] extends readonly (infer U)[] ? U[] : never } }): T | undefined {
    const position = this.positions().get(key)
    if (position === undefined) return undefined
    const patch: RecordPatch = {}
    const set = Object.entries(change.set ?? {})
    if (set.some(([, value]) => value !== undefined)) patch.set = Object.fromEntries(set.filter(([, value]) => value !== undefined))
    if (set.some(([, value]) => value === undefined)) patch.unset = set.filter(([, value]) => value === undefined).map(([field]) => field)
    if (change.append) patch.append = change.append as Record<string, unknown[]>
    applyPatch(this.recordAt(position), patch)
    this.reindex(position)
    this.patches.push({ position, patch })
    return this.records[position]
  }

  /** The records as an array (a scan: every record is parsed). */
  toJSON(): T[] {
    return this.map((record) => record)
  }

  /** Replaces the content with these records, without marking them dirty (a replaced state, a copy). */
  load(records: Iterable<T>): void {
    this.restore(undefined, [...records].map((record) => ({ record })))
  }

  /**
   * Replaces the content with a snapshot's rows (parsed when first used, by `rows.parse`)
   * and the journal's entries on top of them, without marking anything dirty.
   */
  restore(snapshot: { rows: LazyRows; parse: (raw: unknown, position: number) => T } | undefined, entries: Iterable<TableEntry<T>>): void {
    this.records = snapshot ? new Array<T | undefined>(snapshot.rows.count) : []
    this.lazy = snapshot && { ...snapshot, parsed: 0 }
    this.positionOfKey = undefined
    // Indexes are built once the entries are applied, not moved at each.
    for (const index of this.indexes.values()) index.built = false
    for (const entry of entries) {
      if ('record' in entry) this.put(entry.record)
      else {
        const position = this.positions().get(entry.key)
        if (position === undefined) throw new Error(`a patch of ${this.name} record ${entry.key}, which does not exist`)
        applyPatch(this.recordAt(position), entry.patch)
      }
    }
    for (const index of this.indexes.values()) {
      if (!index.def.fixed) this.buildIndex(index)
    }
    this.touched.clear()
    this.dirty.clear()
    this.patches = []
  }

  /** Ends a mutation: re-indexes what it touched and queues those records for the journal. */
  settle(): void {
    for (const position of this.touched) {
      this.reindex(position)
      this.dirty.add(position)
    }
    this.touched.clear()
  }

  /**
   * The changes since the last call, for the journal: whole records, and the patches of
   * records not written whole (a whole record carries its patches already).
   */
  takeChanges(): TableChanges<T> {
    const records = [...this.dirty].map((position) => this.records[position]!)
    const patches = this.patches.filter(({ position }) => !this.dirty.has(position)).map(({ position, patch }) => ({ key: this.keyAt(position), patch }))
    this.dirty.clear()
    this.patches = []
    return { records, patches }
  }

  /**
   * Parses every row not parsed yet. For rows of an older version: their migration happens
   * in the parse, and a snapshot copies a row never parsed as it was read.
   */
  parseAll(): void {
    for (let position = 0; position < this.records.length; position++) this.recordAt(position)
  }

  /** Every row for a snapshot, with the columns its indexes read; a row never parsed is copied as it was read. */
  snapshotRows(): { rows: SnapshotRow[]; columns: Record<string, unknown[]> } {
    const fields = this.indexedFields
    const columns: Record<string, unknown[]> = Object.fromEntries(fields.map((field) => [field, new Array(this.records.length)]))
    const rows: SnapshotRow[] = new Array(this.records.length)
    for (let position = 0; position < this.records.length; position++) {
      const record = this.records[position]
      rows[position] = record ? { key: this.keyOf(record), text: JSON.stringify(record) } : { key: this.keyAt(position), text: this.lazy!.rows.text(position) }
      for (const field of fields) columns[field]![position] = this.fieldAt(position, field)
    }
    return { rows, columns }
  }

  private recordAt(position: number): T {
    let record = this.records[position]
    if (record === undefined) {
      record = this.lazy!.parse(this.lazy!.rows.record(position), position)
      this.records[position] = record
      this.lazy!.parsed++
    }
    return record
  }

  private keyAt(position: number): string {
    const record = this.records[position]
    return record ? this.keyOf(record) : this.lazy!.rows.keys()[position]!
  }

  /** A field of a row, from its record if parsed, else from the snapshot's column (or the record when there is none). */
  private fieldAt(position: number, field: string): unknown {
    const record = this.records[position]
    if (record) return (record as Record<string, unknown>)[field]
    const column = this.lazy!.rows.column(field)
    return column ? column[position] : (this.recordAt(position) as Record<string, unknown>)[field]
  }

  private positions(): Map<string, number> {
    if (!this.positionOfKey) {
      this.positionOfKey = new Map()
      for (let position = 0; position < this.records.length; position++) this.positionOfKey.set(this.keyAt(position), position)
    }
    return this.positionOfKey
  }

  /** Adds or replaces a record (the later version wins, in the place of the first). */
  private put(record: T): void {
    const key = this.keyOf(record)
    const positions = this.positions()
    const existing = positions.get(key)
    if (existing !== undefined) {
      if (this.lazy && this.records[existing] === undefined) this.lazy.parsed++
      this.records[existing] = record
      this.reindex(existing)
      return
    }
    const position = this.records.length
    this.records.push(record)
    positions.set(key, position)
    for (const index of this.indexes.values()) if (index.def.fixed && index.built) addPosition(index.positions, index.def.value(record), position)
    this.reindex(position)
  }

  private builtIndex(name: string): IndexState<T> {
    const index = this.indexes.get(name)
    if (!index) throw new Error(`${this.name} has no index ${name}`)
    if (!index.built) this.buildIndex(index)
    return index
  }

  /** Computes an index for every row, from the records parsed and the snapshot's columns of the others. */
  private buildIndex(index: IndexState<T>): void {
    index.positions.clear()
    index.valueOf.clear()
    const { fields } = index.def
    // The snapshot's columns of the fields the index reads; a field without one is read from the record.
    const columns = fields.map((field) => this.lazy?.rows.column(field))
    const view: Record<string, unknown> = {}
    for (let position = 0; position < this.records.length; position++) {
      let source = this.records[position]
      if (!source) {
        for (let i = 0; i < fields.length; i++) view[fields[i]!] = columns[i] ? columns[i]![position] : this.fieldAt(position, fields[i]!)
        source = view as T
      }
      const value = index.def.value(source)
      if (value === undefined) continue
      addPosition(index.positions, value, position)
      if (!index.def.fixed) index.valueOf.set(position, value)
    }
    index.built = true
  }

  /** Moves a record within its mutable indexes after a change. */
  private reindex(position: number): void {
    const record = this.records[position]
    if (!record) return
    for (const index of this.indexes.values()) {
      if (index.def.fixed || !index.built) continue
      const before = index.valueOf.get(position)
      const after = index.def.value(record)
      if (before === after) continue
      if (before !== undefined) removePosition(index.positions, before, position)
      addPosition(index.positions, after, position)
      // Only indexed records are remembered: most orders are in no "open sheet" index.
      if (after === undefined) index.valueOf.delete(position)
      else index.valueOf.set(position, after)
    }
  }
}

function addPosition(positions: Map<string, number | Set<number>>, value: string | undefined, position: number): void {
  if (value === undefined) return
  const held = positions.get(value)
  if (held === undefined) positions.set(value, position)
  else if (typeof held === 'number') {
    if (held !== position) positions.set(value, new Set([held, position]))
  } else held.add(position)
}

function removePosition(positions: Map<string, number | Set<number>>, value: string, position: number): void {
  const held = positions.get(value)
  if (held === position) positions.delete(value)
  else if (held instanceof Set) {
    held.delete(position)
    if (held.size === 1) positions.set(value, held.values().next().value!)
  }
}
