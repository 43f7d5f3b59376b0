import { systemClock, SandboxClock, type Clock } from '../clock'
import { MemoryImageStore, type ImageStore } from '../catalog/images'
import { SimulatorError } from '../errors'
import { FixtureRegistry } from '../fixtures/fixtures'
import { Store, type StoreOptions } from '../store/store'
import { CLOSE_SANDBOX_RESET, SimulatorCore } from './core'
import { DEFAULT_SANDBOX, SANDBOX_NAME, SANDBOX_NAME_RULE } from './names'

/** Sandboxes live in memory: a bound keeps a runaway test suite from eating the machine. */
export const MAX_SANDBOXES = 64

export interface RegistryOptions {
  /** The persistent store of the default sandbox (state.json + journal, or memory). */
  defaultStore: Store
  defaultImages: ImageStore
  /** The clock sandboxes' clocks follow: the system's, or a test's ManualClock. */
  baseClock?: Clock
  sampleGameOrigin: string
  log: (message: string) => void
  fetch?: typeof fetch
  timeScale?: number
  attemptTimeoutMs?: number
  /** Options of the stores of the other sandboxes. */
  storeOptions?: StoreOptions
}

/**
 * The sandboxes of one simulator process. `default` always exists and keeps its data in the
 * data folder; the others are created by a reset addressed to them and live in memory. A
 * reset replaces a sandbox's core: nothing of the old one (timers, open sheets, sockets)
 * survives it.
 */
export class SandboxRegistry {
  readonly fixtures = new FixtureRegistry()
  private readonly cores = new Map<string, SimulatorCore>()
  /** Per sandbox, the reset or delete in progress: the next one waits for it, and so do requests. */
  private readonly changing = new Map<string, Promise<unknown>>()

  constructor(private readonly options: RegistryOptions) {}

  /** Opens the default sandbox on its store, seeding the demo fixture when the store is empty. */
  async open(): Promise<SimulatorCore> {
    const { defaultStore: store } = this.options
    const clock = new SandboxClock(this.baseClock)
    let fixture = 'stored data'
    if (store.isEmpty) {
      fixture = 'demo'
      await store.replace(await this.fixtures.build('demo', { sampleGameOrigin: this.options.sampleGameOrigin, clock }))
    }
    const core = this.create(DEFAULT_SANDBOX, fixture, 1, store, clock, this.options.defaultImages)
    this.cores.set(DEFAULT_SANDBOX, core)
    const recovered = await core.start()
    if (recovered > 0) this.options.log(`[delivery] recovered ${recovered} paid order(s) whose notification was not written before a crash`)
    return core
  }

  get(name: string): SimulatorCore | undefined {
    return this.cores.get(name)
  }

  /**
   * The sandbox's core once any reset or delete of it has finished: a request arriving
   * mid-reset is served by the new core, never by the one being stopped.
   */
  async resolve(name: string): Promise<SimulatorCore | undefined> {
    for (let pending = this.changing.get(name); pending; pending = this.changing.get(name)) await pending.catch(() => {})
    return this.cores.get(name)
  }

  /** The default sandbox (always open after `open()`). */
  get default(): SimulatorCore {
    return this.cores.get(DEFAULT_SANDBOX)!
  }

  list(): ReturnType<SimulatorCore['describe']>[] {
    return [...this.cores.values()].map((core) => core.describe())
  }

  /** Resets (or creates) a sandbox to a fixture. Changes to one sandbox run one at a time; other sandboxes do not wait. */
  reset(name: string, fixture: string): Promise<SimulatorCore> {
    return this.serialize(name, () => this.doReset(name, fixture))
  }

  remove(name: string): Promise<void> {
    if (name === DEFAULT_SANDBOX) throw new SimulatorError('CONFLICT', 'the default sandbox cannot be deleted: reset it instead')
    return this.serialize(name, async () => {
      const core = this.cores.get(name)
      if (!core) throw new SimulatorError('NOT_FOUND', `no sandbox "${name}"`)
      this.cores.delete(name)
      await core.stop(CLOSE_SANDBOX_RESET, 'sandbox deleted')
    })
  }

  private serialize<T>(name: string, change: () => Promise<T>): Promise<T> {
    const previous = this.changing.get(name) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(change)
    const settled = run.catch(() => {})
    this.changing.set(name, settled)
    void settled.then(() => {
      if (this.changing.get(name) === settled) this.changing.delete(name)
    })
    return run
  }

  async close(): Promise<void> {
    await Promise.all([...this.cores.values()].map((core) => core.stop()))
  }

  private get baseClock(): Clock {
    return this.options.baseClock ?? systemClock
  }

  private async doReset(name: string, fixture: string): Promise<SimulatorCore> {
    if (!SANDBOX_NAME.test(name)) throw new SimulatorError('VALIDATION_FAILED', `${SANDBOX_NAME_RULE}: "${name}"`)
    const clock = new SandboxClock(this.baseClock, this.fixtures.clockOf(fixture))
    const old = this.cores.get(name)
    if (!old && this.cores.size >= MAX_SANDBOXES) {
      clock.stop()
      throw new SimulatorError('CONFLICT', `${MAX_SANDBOXES} sandboxes exist already: delete some (DELETE /sandbox/<name>/_sim/sandbox)`)
    }
    let state
    try {
      state = await this.fixtures.build(fixture, { sampleGameOrigin: this.options.sampleGameOrigin, clock })
    } catch (error) {
      clock.stop()
      throw error
    }
    if (old) await old.stop(CLOSE_SANDBOX_RESET, 'sandbox reset')
    const isDefault = name === DEFAULT_SANDBOX
    const store = isDefault ? this.options.defaultStore : await Store.memory(this.options.storeOptions)
    await store.replace(state)
    const core = this.create(name, fixture, (old?.generation ?? 0) + 1, store, clock, isDefault ? this.options.defaultImages : new MemoryImageStore(), old ? old.events.cursor + 1 : 1)
    this.cores.set(name, core)
    await core.start()
    core.events.emit({ type: 'sandbox.reset', sandbox: name, fixture, generation: core.generation })
    return core
  }

  private create(name: string, fixture: string, generation: number, store: Store, clock: SandboxClock, images: ImageStore, firstEventSeq = 1): SimulatorCore {
    const { log, fetch, timeScale, attemptTimeoutMs } = this.options
    return new SimulatorCore({ name, fixture, generation, store, clock, images, firstEventSeq, log, fetch, timeScale, attemptTimeoutMs })
  }
}
