/**
 * `superapp-sim start`: the simulator on demo data (or a fixture), its URLs printed, until
 * Ctrl+C. The repository's `npm start` (scripts/npmStart.ts) adds the sample game around the
 * same flags, parsed here once.
 */
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { errorMessage } from '@superapp-sim/game-sdk'
import { createSiteAllowlist } from '@superapp-sim/game-sdk/server'
import { DEFAULT_SAMPLE_GAME_ORIGIN, startSimulator, type RunningSimulator, type SimulatorOptions } from './app'
import { SimulatorError } from './errors'
import { loadFixtureFile, looksLikeFixtureFile } from './fixtures/fixtureFile'
import { packageFolderProblem } from './host/minigamePackage'

export const START_USAGE = `superapp-sim start [options]
  --port <n>          simulator port (env SIM_PORT, default 7070; 0 picks a free one)
  --data-dir <dir>    where state is kept (env SIM_DATA_DIR, default .superapp-sim)
  --memory            keep state in memory only
  --delivery-url <u>  send the demo mini game's delivery notifications (URL and Test URL)
                      to your own server (env SIM_DELIVERY_URL); kept in the data folder:
                      \`--delivery-url sample\` sends them to the sample game server again
  --time-scale <n>    divide delivery retry waits by n, for demos (env SIM_TIME_SCALE)
  --fixture <f>       start from a fixture: demo, empty, or a fixture file (.yaml/.json);
                      replaces what the data folder held (env SIM_FIXTURE)
  --package <dir>     a mini game package folder (game.json, game.js) the host shell runs
                      (env SIM_PACKAGE)
  --allowed-host <h>  answer to this host name too, besides localhost (repeatable; a leading
                      dot allows subdomains; env SIM_ALLOWED_HOSTS, comma-separated);
                      see docs/security.md
`

/** The flags of `start`, as node:util parseArgs options; the repository's npm start extends them. */
export const START_OPTIONS = {
  port: { type: 'string', default: process.env.SIM_PORT ?? '7070' },
  'data-dir': { type: 'string', default: process.env.SIM_DATA_DIR ?? '.superapp-sim' },
  memory: { type: 'boolean', default: false },
  'delivery-url': { type: 'string', default: process.env.SIM_DELIVERY_URL },
  'time-scale': { type: 'string', default: process.env.SIM_TIME_SCALE ?? '1' },
  fixture: { type: 'string', default: process.env.SIM_FIXTURE },
  package: { type: 'string', default: process.env.SIM_PACKAGE },
  'allowed-host': { type: 'string', multiple: true, default: process.env.SIM_ALLOWED_HOSTS?.split(',').map((h) => h.trim()).filter(Boolean) ?? [] },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options']

type StartValues = {
  port: string
  'data-dir': string
  memory: boolean
  'delivery-url'?: string
  'time-scale': string
  fixture?: string
  package?: string
  'allowed-host': string[]
  help: boolean
}

/** What the flags ask for, checked: every mistake is found before anything starts or changes. */
export interface StartPlan {
  help: boolean
  port: number
  dataDir: string
  memory: boolean
  timeScale: number
  deliveryUrl?: string
  fixture?: string
  fixtureFile?: Awaited<ReturnType<typeof loadFixtureFile>>
  /** A mini game package folder the host shell runs, resolved. */
  packageDir?: string
  allowedHosts: string[]
}

/** `--delivery-url sample`: back to the sample game server's delivery URL after an earlier --delivery-url. */
export const SAMPLE_DELIVERY = 'sample'

/** The sample game server's delivery URL for its origin (the sample server answers deliveries at /api/delivery). */
export const sampleDeliveryUrl = (sampleGameOrigin: string) => `${sampleGameOrigin}/api/delivery`

/** Reads a port flag: an integer in 0-65535. */
export function portFlag(name: string, raw: string): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--${name} must be a port number (0-65535), got "${raw}"`)
  return value
}

/** Checks the parsed `start` flags and loads a fixture file they name. Throws an Error whose message names the flag. */
export async function planStart(values: StartValues): Promise<StartPlan> {
  const timeScale = Number(values['time-scale'])
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got "${values['time-scale']}"`)
  const deliveryUrl = values['delivery-url']
  if (deliveryUrl !== undefined && deliveryUrl !== SAMPLE_DELIVERY && (!URL.canParse(deliveryUrl) || !/^https?:$/.test(new URL(deliveryUrl).protocol))) {
    throw new Error(`--delivery-url must be an http:// or https:// URL, got "${deliveryUrl}"`)
  }
  const allowedHosts = values['allowed-host']
  // Checked by building the allowlist the servers will build: a bad name is refused here, before anything starts.
  createSiteAllowlist({ allowedHosts })
  const packageDir = values.package === undefined ? undefined : path.resolve(values.package)
  const packageProblem = packageDir === undefined ? undefined : packageFolderProblem(packageDir)
  if (packageProblem) throw new Error(`--package: ${packageProblem}`)
  let fixtureFile: StartPlan['fixtureFile']
  if (values.fixture && looksLikeFixtureFile(values.fixture)) {
    try {
      fixtureFile = await loadFixtureFile(values.fixture)
    } catch (error) {
      throw new Error(`--fixture: ${(error as Error).message}`)
    }
  }
  return {
    help: values.help,
    port: portFlag('port', values.port),
    dataDir: values['data-dir'],
    memory: values.memory,
    timeScale,
    deliveryUrl,
    fixture: values.fixture,
    fixtureFile,
    packageDir,
    allowedHosts,
  }
}

/**
 * The exit code for a planned start that did not happen (startPlanned's refusals), or
 * undefined for any other error: 1 when the stored data cannot be read (STORED_DATA), 2 when
 * a flag's value is refused (USAGE).
 */
export function startRefusalExitCode(error: unknown): 1 | 2 | undefined {
  if (!(error instanceof SimulatorError)) return undefined
  if (error.code === 'STORED_DATA') return 1
  if (error.code === 'USAGE') return 2
  return undefined
}

/**
 * Starts the simulator as planned: the store, the fixture (replacing the data folder's
 * content), the delivery URL. Closes it again when the fixture is refused.
 */
export async function startPlanned(plan: StartPlan, options: Pick<SimulatorOptions, 'sampleGameOrigin' | 'webDir' | 'log'> = {}): Promise<RunningSimulator> {
  let simulator: RunningSimulator
  try {
    simulator = await startSimulator({ port: plan.port, dataDir: plan.dataDir, memory: plan.memory, timeScale: plan.timeScale, allowedHosts: plan.allowedHosts, packageDir: plan.packageDir, ...options })
  } catch (error) {
    // A data folder that cannot be read says which file and field, and what to do.
    if (error instanceof SimulatorError && error.code === 'STORED_DATA') throw new SimulatorError('STORED_DATA', `--data-dir ${path.resolve(plan.dataDir)}: ${error.message}`, { cause: error })
    throw error
  }
  if (plan.fixture) {
    try {
      if (plan.fixtureFile) await simulator.sandboxes.fixtures.register(plan.fixtureFile.name, plan.fixtureFile.document)
      await simulator.sandboxes.reset('default', plan.fixtureFile?.name ?? plan.fixture)
    } catch (error) {
      await simulator.close()
      throw new SimulatorError('USAGE', `--fixture: ${errorMessage(error)}`, { cause: error })
    }
  }
  if (plan.deliveryUrl) {
    const deliveryUrl = plan.deliveryUrl === SAMPLE_DELIVERY ? sampleDeliveryUrl(options.sampleGameOrigin ?? DEFAULT_SAMPLE_GAME_ORIGIN) : plan.deliveryUrl
    await simulator.store.mutate((state) => {
      const demo = state.miniGames[0]
      if (demo) demo.delivery = { ...demo.delivery, url: deliveryUrl, testUrl: deliveryUrl }
    })
  }
  return simulator
}

/**
 * The warning when the demo mini game's deliveries do not go to the sample game server: a
 * --delivery-url is kept in the data folder, and a later plain start would otherwise send
 * the sample game's purchases elsewhere without a word (the game then waits for its items).
 */
export function deliveryWarning(simulator: RunningSimulator, sampleGameOrigin = DEFAULT_SAMPLE_GAME_ORIGIN): string | undefined {
  const url = simulator.store.state.miniGames[0]?.delivery.url
  const sample = sampleDeliveryUrl(sampleGameOrigin)
  if (url === sample) return undefined
  return `  ! Deliveries go to ${url || 'nowhere (no URL set)'}, not the sample game server (${sample}): Gem Quest's purchases wait there.\n    A --delivery-url is kept in the data folder; \`--delivery-url sample\` sends them to the sample game again.`
}

/** The lines that tell a user where everything is. */
export function simulatorBanner(simulator: RunningSimulator, plan: StartPlan, sampleGameOrigin = DEFAULT_SAMPLE_GAME_ORIGIN): string[] {
  const hostUrl = `http://localhost:${simulator.port}/host/`
  const warning = deliveryWarning(simulator, sampleGameOrigin)
  return [
    `  Host shell (open this):  ${hostUrl}`,
    `  Console:                 http://localhost:${simulator.port}/console/  (users superadmin, platformadmin, mpadmin,`,
    `                           seniordev, developer, operator; password "password")`,
    `  Simulator APIs:          ${simulator.url}  (GET /sns/jscode2session)`,
    `  Delivery notifications:  ${simulator.store.state.miniGames[0]?.delivery.url || 'none'}  (the demo mini game's, kept in the data folder)`,
    ...(warning ? [warning] : []),
    `  Mini game package:       ${plan.packageDir ? `${plan.packageDir} (the host shell runs it)` : 'none (--package <dir> runs one)'}`,
    `  Data:                    ${plan.memory ? 'in memory' : path.resolve(plan.dataDir)}${plan.fixture ? ` (reset to fixture ${plan.fixture})` : ''}`,
    `  QA test control:         ${simulator.url}/_sim/  (superapp-sim --help)`,
    `Your own game: ${hostUrl}?game=<your game URL>   or a mini game package: ${hostUrl}?package=<its URL>`,
  ]
}

/** Stops what `stop` closes on Ctrl+C or SIGTERM, then exits. */
export function stopOnSignals(stop: () => Promise<unknown>): void {
  let stopping = false
  const shutdown = async () => {
    if (stopping) return
    stopping = true
    await stop()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

/**
 * The `start` command; argv are the flags after `start`. Returns the exit code of a
 * refusal (2), or undefined once running.
 */
export async function runStart(argv: string[]): Promise<number | undefined> {
  let plan: StartPlan
  try {
    const { values } = parseArgs({ args: argv, options: START_OPTIONS })
    plan = await planStart(values as StartValues)
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${START_USAGE}`)
    return 2
  }
  if (plan.help) {
    console.log(START_USAGE)
    return 0
  }
  let simulator: RunningSimulator
  try {
    simulator = await startPlanned(plan)
  } catch (error) {
    const exitCode = startRefusalExitCode(error)
    if (exitCode === undefined) throw error
    console.error(errorMessage(error))
    return exitCode
  }
  console.log([`\nSuperapp simulator ready in ${Math.round(performance.now())} ms`, ...simulatorBanner(simulator, plan), 'Press Ctrl+C to stop.'].join('\n'))
  stopOnSignals(() => simulator.close())
  return undefined
}

export type { StartValues }
