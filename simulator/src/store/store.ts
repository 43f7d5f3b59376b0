import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Low } from 'lowdb'
import { AtomicJsonFile, Journal } from './journal'
import { createTables, emptyState, type Order, type OutboxNotification, type Refund, type SimState, type SmallState, type Tables } from './model'

export interface StoreFileOptions {
  /**
   * fsync each write before acknowledging it: survives power loss, not just a killed
   * process. Off by default: a local simulator meets crashes, not power cuts, and a sync
   * costs about 0.5 ms here (docs/decisions/005-store.md).
   */
  fsync?: boolean
  /** Compact the journal once it holds this many lines and twice the live records. */
  compactAfterLines?: number
}

interface Persistence {
  small: Low<SmallState>
  journal: Journal
  compactAfterLines: number
}

const TABLES = ['orders', 'outbox', 'refunds'] as const

/** For `mutate`: the change touches the tables only (see there). */
export const TABLES_ONLY = { tablesOnly: true } as const

/**
 * The simulator's state. Small data (configuration, accounts, items, approvals, mail)
 * lives in one lowdb JSON file written atomically (temp file + rename) when it changes;
 * the growing tables (orders, the outbox) live in an append-only journal, so a purchase
 * writes its own records and never the history. Memory mode keeps everything in memory.
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
  private chain: Promise<void> = Promise.resolve()

  private constructor(
    state: SimState,
    private readonly persistence?: Persistence,
  ) {
    this.current = state
  }

  static async memory(): Promise<Store> {
    return new Store(emptyState())
  }

  static async file(dataDir: string, options: StoreFileOptions = {}): Promise<Store> {
    await mkdir(dataDir, { recursive: true })
    const fsync = options.fsync ?? false
    const small = new Low<SmallState>(new AtomicJsonFile<SmallState>(path.join(dataDir, 'state.json'), fsync), stripTables(emptyState()))
    await small.read()
    const journal = new Journal(path.join(dataDir, 'journal.jsonl'), fsync)
    const replayed = await journal.replay()
    const defaults = emptyState()
    const legacy = small.data as Partial<SmallState & { orders: Order[]; outbox: OutboxNotification[] }>
    const settings = { ...defaults.settings, ...legacy.settings }
    const state: SimState = {
      ...defaults,
      ...stripTables(legacy),
      counters: { ...defaults.counters, ...legacy.counters },
      settings,
      ...createTables(),
    }
    // Files written before the journal existed kept the tables inside state.json.
    state.orders.load([...(Array.isArray(legacy.orders) ? legacy.orders : []), ...((replayed.get('orders') ?? []) as Order[])])
    state.outbox.load([...(Array.isArray(legacy.outbox) ? legacy.outbox : []), ...((replayed.get('outbox') ?? []) as OutboxNotification[])])
    state.refunds.load((replayed.get('refunds') ?? []) as Refund[])
    reconcileCounters(state)
    const store = new Store(state, { small, journal, compactAfterLines: options.compactAfterLines ?? 50_000 })
    if (Array.isArray(legacy.orders) || Array.isArray(legacy.outbox)) await store.rewriteAll()
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
   * attempt) say so. Under vitest the promise is checked on every flush.
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
    await this.chain
    this.current = next
    await this.rewriteAll()
  }

  /** Waits for pending writes and closes the journal. */
  async close(): Promise<void> {
    await this.chain
    await this.persistence?.journal.close()
  }

  /** Files' sizes in bytes, for the benchmark. */
  get files(): { state: string; journal: string } | undefined {
    return this.persistence ? { state: (this.persistence.small.adapter as AtomicJsonFile<SmallState>).filePath, journal: this.persistence.journal.path } : undefined
  }

  private tables() {
    return TABLES.map((name) => this.current[name] as Tables[typeof name])
  }

  private flushSoon(): Promise<void> {
    if (this.pendingFlush) return this.pendingFlush
    const flush = this.chain.then(() => {
      this.pendingFlush = undefined
      return this.flush()
    })
    this.pendingFlush = flush
    this.chain = flush.catch(() => {})
    return flush
  }

  private async flush(): Promise<void> {
    const entries = TABLES.flatMap((name) => this.current[name].takeDirty().map((record: object) => ({ collection: name, record })))
    if (!this.persistence) return
    const { small, journal, compactAfterLines } = this.persistence
    // The journal first: an acknowledged order must be on disk before anything that refers to it.
    await journal.append(entries)
    const adapter = small.adapter as AtomicJsonFile<SmallState>
    if (this.smallDirty) {
      this.smallDirty = false
      small.data = smallFileContent(this.current)
      await small.write()
    } else if (process.env.VITEST && adapter.wouldChange(smallFileContent(this.current))) {
      throw new Error('a mutation marked tablesOnly changed what state.json holds: drop tablesOnly there')
    }
    const live = TABLES.reduce((sum, name) => sum + this.current[name].length, 0)
    if (journal.lineCount > compactAfterLines && journal.lineCount > 2 * live) await journal.compact(this.liveEntries())
  }

  private liveEntries() {
    return TABLES.flatMap((name) => this.current[name].map((record: object) => ({ collection: name, record })))
  }

  private async rewriteAll(): Promise<void> {
    for (const name of TABLES) this.current[name].takeDirty()
    if (!this.persistence) return
    await this.persistence.journal.compact(this.liveEntries())
    this.persistence.small.data = smallFileContent(this.current)
    await this.persistence.small.write()
  }
}

/**
 * What state.json holds. The tables' sequence counters are left out: they are rebuilt from
 * the journal on open (reconcileCounters), and keeping them here would rewrite the file on
 * every purchase.
 */
function smallFileContent(state: SimState): SmallState {
  const { order: _order, notification: _notification, refund: _refund, ...counters } = state.counters
  return { ...stripTables(state), counters: counters as SmallState['counters'] }
}

function stripTables(state: Partial<SmallState> & { orders?: unknown; outbox?: unknown; refunds?: unknown }): SmallState {
  const { orders: _orders, outbox: _outbox, refunds: _refunds, ...small } = state
  return small as SmallState
}

/** Counters live in the small file; a crash between the two writes must not reuse a number. */
function reconcileCounters(state: SimState): void {
  // Both numbers end in an 8-digit sequence (orderNumber() in ids.ts, N00000001 in the outbox).
  const sequence = (id: string) => Number(id.slice(-8)) || 0
  for (const order of state.orders) state.counters.order = Math.max(state.counters.order, sequence(order.orderNo))
  for (const n of state.outbox) state.counters.notification = Math.max(state.counters.notification, sequence(n.id))
  for (const r of state.refunds) state.counters.refund = Math.max(state.counters.refund, sequence(r.refundNo))
}
