/**
 * @superapp-sim/simulator: the superapp on your laptop, for test runners. Start one in
 * your tests (in memory, on a free port), give each worker a sandbox, script it through
 * the test-control API, and point your game server and headless players at it. The
 * `superapp-sim` command runs the same simulator from a shell; `/vite` wires it into a
 * game's `vite dev`; `/fixtures` has the demo fixture's data.
 */
import { startSimulator as startFullSimulator, type SimulatorOptions as FullSimulatorOptions } from './app'
import { loadFixtureFile, looksLikeFixtureFile } from './fixtures/fixtureFile'
import { SandboxControl } from './scenarios/sandboxControl'

export { SandboxControl } from './scenarios/sandboxControl'
export type { SandboxInfo, MiniGameConfig, SheetPolicyInput, ClockChange, EventPage, QaOrder } from './scenarios/sandboxControl'
export { SimulatorError } from './errors'
export type { SimulatorErrorCode } from './errors'

/** How to start a simulator from code; every field is optional. */
export type SimulatorOptions = Pick<FullSimulatorOptions, 'port' | 'host' | 'dataDir' | 'memory' | 'log' | 'timeScale' | 'attemptTimeoutMs' | 'packageDir'> & {
  /**
   * What the default sandbox starts from: a built-in fixture (`demo`, `empty`), a fixture
   * file (.yaml, .yml, .json; docs/qa-guide.md), or a registered one. Default: demo data
   * when the store is empty.
   */
  fixture?: string
}

/** A running simulator. */
export interface Simulator {
  /** Its root URL, e.g. http://127.0.0.1:54321 (the `default` sandbox). */
  readonly url: string
  readonly port: number
  /**
   * A client of one sandbox's test-control API (reset, clock, payment sheet policy,
   * events, orders, triggers). A sandbox other than `default` exists once reset.
   * Its `url` is what game servers and headless players are given.
   */
  sandbox(name?: string): SandboxControl
  /** Stops everything: open sheets fail, sockets close, pending writes finish. */
  close(): Promise<void>
}

/**
 * Starts a simulator in this process. Defaults suit a test run badly on purpose, as
 * `superapp-sim start` does (port 7070, state in `.superapp-sim/`): pass `{ port: 0,
 * memory: true }` in tests.
 *
 * @example
 * const sim = await startSimulator({ port: 0, memory: true, log: () => {} })
 * const sandbox = sim.sandbox(`worker-${process.env.VITEST_POOL_ID ?? 0}`)
 * await sandbox.reset('demo')
 * const player = await connectHeadlessPlayer({ simulatorUrl: sandbox.url, appId, playerId: 'player-1' })
 * // … buy, then:
 * await sim.close()
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { fixture, ...rest } = options
  const simulator = await startFullSimulator(rest)
  if (fixture !== undefined) {
    try {
      const file = looksLikeFixtureFile(fixture) ? await loadFixtureFile(fixture) : undefined
      if (file) await simulator.sandboxes.fixtures.register(file.name, file.document)
      await simulator.sandboxes.reset('default', file?.name ?? fixture)
    } catch (error) {
      await simulator.close()
      throw error
    }
  }
  return {
    url: simulator.url,
    port: simulator.port,
    sandbox: (name?: string) => new SandboxControl(simulator.url, name === undefined || name === 'default' ? undefined : name),
    close: () => simulator.close(),
  }
}
