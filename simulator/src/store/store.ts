import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Low, Memory, type Adapter } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { emptyState, type SimState } from './model'

/**
 * The simulator's state behind lowdb. The adapter is passed in (a JSON file under the data
 * folder, or memory for tests and `--memory`); nothing switches on the environment.
 *
 * Mutations go through `mutate`, which runs the change and persists it before resolving, so
 * an acknowledged change is on disk. lowdb's JSONFile writes through steno (temp file then
 * rename), so the file is never left half written.
 *
 * Domain code validates before it mutates: a refused request must change nothing.
 */
export class Store {
  private readonly db: Low<SimState>
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(adapter: Adapter<SimState>) {
    this.db = new Low<SimState>(adapter, emptyState())
  }

  static async open(adapter: Adapter<SimState>): Promise<Store> {
    const store = new Store(adapter)
    await store.db.read()
    // Collections added since the file was written start empty.
    const defaults = emptyState()
    store.db.data = { ...defaults, ...store.db.data, counters: { ...defaults.counters, ...store.db.data.counters } }
    return store
  }

  static memory(): Promise<Store> {
    return Store.open(new Memory<SimState>())
  }

  static async file(dataDir: string): Promise<Store> {
    await mkdir(dataDir, { recursive: true })
    return Store.open(new JSONFile<SimState>(path.join(dataDir, 'state.json')))
  }

  /** Read-only view of the current state. Never mutate it outside `mutate`. */
  get state(): Readonly<SimState> {
    return this.db.data
  }

  /** True when the store holds no mini game yet (a fresh data folder). */
  get isEmpty(): boolean {
    return this.db.data.miniGames.length === 0
  }

  /** Applies a change and persists it; changes are serialised in call order. */
  mutate<T>(change: (state: SimState) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const result = change(this.db.data)
      await this.db.write()
      return result
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  async replace(state: SimState): Promise<void> {
    await this.mutate(() => {
      this.db.data = state
    })
  }
}
