import { mkdir, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { Low } from 'lowdb'
import type { Collection, TableEntry } from './collection'
import { AtomicJsonFile, Journal, type JournalEntry } from './journal'
import { migrateRecord, migrateState } from './migrations'
import { createTables, emptyState, type SimState, type SmallState } from './model'
import { STATE_VERSION, tableSchemas } from './schema'
import { parseStored, storedDataError } from './storedData'
import { readSnapshot, writeSnapshot, type OpenedSnapshot, type TableCounters } from './snapshot'

export interface StoreOptions {
  /**
   * Check, on every write, that a mutation marked `tablesOnly` left state.json's part of the
   * state alone (it throws if not). For tests: it serializes the small state on each write.
   */
  verifyTablesOnly?: boolean
}

export interface StoreFileOptions extends StoreOptions {
  /**
   * fsync each write before acknowledging it: survives power loss, not just a killed
   * process. Off by default: a local simulator meets crashes, not power cuts, and a sync
   * costs about 0.5 ms here (docs/decisions/005-store.md).
   */
  fsync?: boolean
  /** Checkpoint (snapshot the tables, empty the journal) once the journal holds this many entries and twice the live records. */
  compactAfterLines?: number
}

interface Persistence {
  small: Low<SmallState>
  journal: Journal
  snapshotPath: string
  fsync: boolean
  compactAfterLines: number
  /** The snapshot the journal continues. */
  generation: number
  /** The snapshot file the tables still read unparsed rows from, until the next checkpoint reads them all. */
  openSnapshot?: OpenedSnapshot
}

const TABLES = ['orders', 'outbox', 'refunds'] as const
type TableName = (typeof TABLES)[number]

/** The files of a data folder. */
const FILES = { state: 'state.json', snapshot: 'tables.snapshot', journal: 'journal.jsonl' } as const

/** For `mutate`: the change touches the tables only (see there). */
export const TABLES_ONLY = { tablesOnly: true } as const

/**
 * The simulator's state. Small data (configuration, accounts, items, approvals, mail)
 * lives in one lowdb JSON file written atomically (temp file + rename) when it changes;
 * the growing tables (orders, the outbox, refunds) live in a snapshot plus an append-only
 * journal of the changes since, so a purchase writes its own records and never the
 * history, and a start reads the snapshot without parsing its records. Memory mode keeps
 * everything in memory. Every file carries the state version (schema.ts) and is checked
 * on open; older versions are migrated (migrations.ts).
 *
 * `mutate` applies a change at once and resolves when it is on disk; changes made in the
 * same tick share one write (group commit). Domain code validates before it mutates: a
 * refused request must change nothing.
 */
export class Store {
  private current: SimState
  private pendingFlush?: Promise<void>
  /**
   * Whether a change since the last flush may have touched state.json's part of the state.
   * True at first: the first flush writes the file as this version of the simulator sees it.
   */
  private smallDirty = true
  /** With verifyTablesOnly: state.json's part as of the last write. */
  private lastSmallText?: string
  private chain: Promise<void> = Promise.resolve()

  private constructor(
    state: SimState,
    private readonly options: StoreOptions,
    private readonly persistence?: Persistence,
  ) {
    this.current = state
  }

  static async memory(options: StoreOptions = {}): Promise<Store> {
    return new Store(emptyState(), options)
  }

  /**
   * Opens (or creates) the data folder `dataDir`: state.json, then the tables' snapshot and
   * the journal on top of it. A file that is damaged, foreign or from a newer version is an
   * error naming the file and the field; an older version is migrated and rewritten.
   */
  static async file(dataDir: string, options: StoreFileOptions = {}): Promise<Store> {
    await mkdir(dataDir, { recursive: true })
    await removeTempFiles(dataDir)
    const snapshot = await readSnapshot(path.join(dataDir, FILES.snapshot))
    const journal = new Journal(path.join(dataDir, FILES.journal), options.fsync ?? false)
    try {
      return await Store.load(dataDir, options, snapshot, journal)
    } catch (error) {
      // A folder refused (or a rewrite that failed) leaves no file open behind it.
      await snapshot?.close()
      await journal.close()
      throw error
    }
  }

  /** The rest of `file`, on the snapshot and journal it opened. */
  private static async load(dataDir: string, options: StoreFileOptions, snapshot: OpenedSnapshot | undefined, journal: Journal): Promise<Store> {
    const fsync = options.fsync ?? false
    const small = new Low<SmallState>(new AtomicJsonFile<SmallState>(path.join(dataDir, FILES.state), fsync), smallFileContent(emptyState()))
    const raw = await small.adapter.read()
    const migrated = raw === null ? undefined : migrateState(raw, FILES.state, new Date().toISOString())
    const snapshotPath = path.join(dataDir, FILES.snapshot)
    const journalContent = await journal.read()

    const generation = snapshot?.generation ?? 0
    // A journal older than the snapshot is one a crash left between the two writes of a
    // checkpoint: the snapshot holds all of it. A newer one continues a snapshot that is gone.
    if (journalContent.generation > generation) {
      throw storedDataError(`${FILES.journal} continues tables snapshot ${journalContent.generation}, but ${snapshot ? `${FILES.snapshot} is snapshot ${generation}` : `there is no ${FILES.snapshot}`}`)
    }
    const entries = journalContent.generation === generation ? journalContent.entries : []

    const { counters, ...smallState } = migrated?.small ?? smallFileContent(emptyState())
    const state: SimState = { ...smallState, counters: { ...counters, order: 0, notification: 0, refund: 0 }, ...createTables() }
    const perTable = new Map<TableName, TableEntry<object>[]>(TABLES.map((name) => [name, []]))
    // The layout from before the journal kept the tables in state.json; a snapshot, once written, holds them.
    if (migrated?.legacyTables && !snapshot) {
      for (const record of migrated.legacyTables.orders) perTable.get('orders')!.push({ record: parseStored(tableSchemas.orders, migrateRecord('orders', record, migrated.fromVersion), `${FILES.state}: orders`) })
      for (const record of migrated.legacyTables.outbox) perTable.get('outbox')!.push({ record: parseStored(tableSchemas.outbox, migrateRecord('outbox', record, migrated.fromVersion), `${FILES.state}: outbox`) })
    }
    for (const { entry, line } of entries) {
      const name = entry.table as TableName
      if (!TABLES.includes(name)) throw storedDataError(`${FILES.journal} line ${line}: no table "${entry.table}"`)
      const where = `${FILES.journal} line ${line}: ${name}`
      perTable.get(name)!.push('record' in entry ? { record: parseStored<object>(tableSchemas[name], migrateRecord(name, entry.record, journalContent.version), where) } : { key: entry.key, patch: entry.patch })
    }
    for (const name of TABLES) {
      const rows = snapshot?.tables.get(name)
      const table = state[name] as Collection<object>
      const schema = tableSchemas[name]
      const rowsVersion = snapshot?.version ?? STATE_VERSION
      table.restore(rows && { rows, parse: (raw, position) => parseStored<object>(schema, migrateRecord(name, raw, rowsVersion), `${FILES.snapshot}: ${name} row ${position + 1}`) }, perTable.get(name)!)
      // Rows of an older version are migrated as they are parsed: all of them now, before the files are rewritten.
      if (rowsVersion < STATE_VERSION) table.parseAll()
      // A patched record is checked as it stands after its patches.
      const patched = new Set(perTable.get(name)!.flatMap((entry) => ('key' in entry ? [entry.key] : [])))
      for (const key of patched) parseStored<object>(schema, table.get(key), `${FILES.journal}: ${name} record ${key} after its patches`)
    }
    reconcileCounters(state, snapshot?.counters, perTable)

    const persistence: Persistence = { small, journal, snapshotPath, fsync, compactAfterLines: options.compactAfterLines ?? 50_000, generation, openSnapshot: snapshot }
    const store = new Store(state, options, persistence)
    const olderLayout = (migrated !== undefined && migrated.fromVersion < STATE_VERSION) || (journalContent.exists && journalContent.version < STATE_VERSION)
    // Files of an older version are rewritten in the current layout at once.
    if (olderLayout) await store.enqueue(() => store.rewriteAll())
    else if (!journalContent.exists || journalContent.generation < generation) await journal.reset(generation)
    return store
  }

  /** The current state. Read freely; change it only inside `mutate`. */
  get state(): SimState {
    return this.current
  }

  /** True when the store holds no mini game yet (a fresh data folder). */
  get isEmpty(): boolean {
    return this.current.miniGames.length === 0
  }

  /**
   * Applies a change now and resolves once it is persisted. `tablesOnly`: the change
   * touches orders, the outbox or refunds (and their counters) and nothing in state.json,
   * so the flush need not even serialize that file: the hot paths (a purchase, a delivery
   * attempt) say so. With the verifyTablesOnly option that promise is checked.
   */
  mutate<T>(change: (state: SimState) => T, options: { tablesOnly?: boolean } = {}): Promise<T> {
    if (!options.tablesOnly) this.smallDirty = true
    const tables = this.tables()
    for (const table of tables) table.tracking = true
    let result: T
    try {
      result = change(this.current)
    } finally {
      for (const table of tables) {
        table.tracking = false
        table.settle()
      }
    }
    return this.flushSoon().then(() => result)
  }

  /** Replaces everything (demo data, fixtures) and rewrites the files. */
  async replace(state: SimState): Promise<void> {
    const next: SimState = { ...state, ...createTables() }
    next.orders.load([...state.orders])
    next.outbox.load([...state.outbox])
    next.refunds.load([...state.refunds])
    await this.enqueue(async () => {
      this.current = next
      this.smallDirty = true
      await this.rewriteAll()
    })
  }

  /** Waits for pending writes, leaves a snapshot for the next start, and closes the journal. */
  async close(): Promise<void> {
    await this.enqueue(async () => {
      if (this.persistence && this.persistence.journal.lineCount > 0) await this.checkpoint()
    })
    await this.persistence?.journal.close()
    await this.persistence?.openSnapshot?.close()
  }

  private tables(): Collection<object>[] {
    return TABLES.map((name) => this.current[name] as Collection<object>)
  }

  /** Runs `work` after every write queued so far; later writes wait for it. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work)
    this.chain = run.catch(() => {})
    return run
  }

  private flushSoon(): Promise<void> {
    if (this.pendingFlush) return this.pendingFlush
    const flush = this.enqueue(() => {
      this.pendingFlush = undefined
      return this.flush()
    })
    this.pendingFlush = flush
    return flush
  }

  private async flush(): Promise<void> {
    const entries = this.takeChanges()
    // The journal first: an acknowledged order must be on disk before anything that refers to it.
    await this.persistence?.journal.append(entries)
    const smallChanged = this.smallDirty
    this.smallDirty = false
    this.noteSmallState(smallChanged)
    if (!this.persistence) return
    const { small, journal, compactAfterLines } = this.persistence
    if (smallChanged) {
      small.data = smallFileContent(this.current)
      await small.write()
    }
    const live = this.tables().reduce((sum, table) => sum + table.length, 0)
    if (journal.lineCount > compactAfterLines && journal.lineCount > 2 * live) await this.checkpoint()
  }

  /** What the mutations since the last write changed, as journal entries. */
  private takeChanges(): JournalEntry[] {
    return TABLES.flatMap((name) => {
      const { records, patches } = this.current[name].takeChanges()
      return [...records.map((record) => ({ table: name, record })), ...patches.map(({ key, patch }) => ({ table: name, key, patch }))]
    })
  }

  /** With verifyTablesOnly: remembers state.json's part, and throws if a tablesOnly write changed it. */
  private noteSmallState(mayHaveChanged: boolean): void {
    if (!this.options.verifyTablesOnly) return
    const text = JSON.stringify(smallFileContent(this.current))
    if (!mayHaveChanged && text !== this.lastSmallText) {
      throw new Error('a mutation marked tablesOnly changed what state.json holds: drop tablesOnly there')
    }
    this.lastSmallText = text
  }

  /**
   * Writes every live record to a new snapshot, then starts an empty journal that continues
   * it. What is pending is in the snapshot: it is taken off the journal's queue in the same
   * synchronous step, so no change is in both (a patch applied twice would repeat an attempt).
   */
  private async checkpoint(): Promise<void> {
    const persistence = this.persistence!
    const generation = persistence.generation + 1
    const tables = Object.fromEntries(TABLES.map((name) => [name, this.current[name].snapshotRows()]))
    this.takeChanges()
    // The counters as the records have them: a record added with its own number (fixtures, the bench) raises them.
    const counters = this.current.counters
    for (const [name, counter] of TABLE_COUNTERS) for (const row of tables[name]!.rows) counters[counter] = Math.max(counters[counter], sequenceOf(row.key))
    const { order, notification, refund } = counters
    // Building the rows read all of the old snapshot the tables may still need: it can be closed (and replaced).
    await persistence.openSnapshot?.close()
    persistence.openSnapshot = undefined
    await writeSnapshot(persistence.snapshotPath, { generation, counters: { order, notification, refund }, tables }, persistence.fsync)
    await persistence.journal.reset(generation)
    persistence.generation = generation
  }

  private async rewriteAll(): Promise<void> {
    this.takeChanges()
    this.smallDirty = false
    this.noteSmallState(true)
    if (!this.persistence) return
    await this.checkpoint()
    this.persistence.small.data = smallFileContent(this.current)
    await this.persistence.small.write()
  }
}

/**
 * What state.json holds. The tables' sequence counters are left out: they are kept with the
 * tables (the snapshot's header, the journal's records), and keeping them here would rewrite
 * the file on every purchase.
 */
function smallFileContent(state: SimState): SmallState {
  const { orders: _orders, outbox: _outbox, refunds: _refunds, counters, ...small } = state
  return { ...small, counters: { approval: counters.approval, mail: counters.mail } }
}

/** Each table and the counter of its numbers. */
const TABLE_COUNTERS = [['orders', 'order'], ['outbox', 'notification'], ['refunds', 'refund']] as const satisfies readonly (readonly [TableName, keyof TableCounters])[]

/** Every number the tables give out ends in an 8-digit sequence (orderNumber() in ids.ts, N00000001 in the outbox, refundNumber()). */
const sequenceOf = (id: string) => Number(id.slice(-8)) || 0

/** The tables' counters: the snapshot's, raised past any number used since (the journal's records, or a pre-journal state.json's). */
function reconcileCounters(state: SimState, fromSnapshot: TableCounters | undefined, entries: Map<TableName, TableEntry<object>[]>): void {
  for (const [name, counter] of TABLE_COUNTERS) {
    let value = Math.max(state.counters[counter], fromSnapshot?.[counter] ?? 0)
    for (const entry of entries.get(name)!) if ('record' in entry) value = Math.max(value, sequenceOf((state[name] as Collection<object>).keyOf(entry.record)))
    state.counters[counter] = value
  }
}

/** Temp files a killed process left behind (every write renames its own): one process owns a data folder. */
async function removeTempFiles(dataDir: string): Promise<void> {
  const names = Object.values(FILES).map((name) => name.replace('.', '\\.')).join('|')
  const temp = new RegExp(`^(${names})\\.\\d+\\.tmp$`)
  for (const file of await readdir(dataDir)) if (temp.test(file)) await rm(path.join(dataDir, file), { force: true })
}
