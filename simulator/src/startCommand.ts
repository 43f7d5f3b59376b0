/**
 * `superapp-sim start`: the simulator on demo data (or a fixture), its URLs printed, until
 * Ctrl+C. The repository's `npm start` (scripts/npmStart.ts) adds the sample game around the
 * same flags, parsed here once.
 */
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { renderUnicodeCompact } from 'uqr'
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
  --lan               a demo on phones of this network: listen on every interface and print
                      a one-time URL and QR code per phone; the console and /_sim stay on
                      this machine (docs/security.md)
  --lan-address <ip>  the address phones reach (implies --lan; default the first
                      non-loopback IPv4 address of this machine)
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
  lan: { type: 'boolean', default: false },
  'lan-address': { type: 'string' },
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
  lan: boolean
  'lan-address'?: string
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
  /** The LAN demo's address (`--lan`, `--lan-address`), or undefined for this machine only. */
  lanAddress?: string
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
  const lanAddress = values.lan || values['lan-address'] !== undefined ? lanAddressFlag(values['lan-address']) : undefined
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
    lanAddress,
  }
}

/** The first non-loopback IPv4 address of this machine (what `vite --host` lists first), or undefined. */
export function firstLanAddress(interfaces = networkInterfaces()): string | undefined {
  return Object.values(interfaces)
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address
}

/** The address of `--lan`: the one given (an IPv4 address), or the machine's first. */
function lanAddressFlag(given: string | undefined): string {
  if (given !== undefined) {
    if (isIP(given) !== 4 || given.startsWith('127.') || given === '0.0.0.0') throw new Error(`--lan-address must be this machine's IPv4 address on the phone's network (e.g. 192.168.1.20), got "${given}"`)
    return given
  }
  const found = firstLanAddress()
  if (!found) throw new Error('--lan: this machine has no network address besides loopback: join the network the phone is on (Wi-Fi), or give --lan-address <ip>')
  return found
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
    simulator = await startSimulator({
      port: plan.port,
      dataDir: plan.dataDir,
      memory: plan.memory,
      timeScale: plan.timeScale,
      allowedHosts: plan.allowedHosts,
      packageDir: plan.packageDir,
      lan: plan.lanAddress === undefined ? undefined : { address: plan.lanAddress },
      ...options,
    })
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

/**
 * The LAN demo's invitation: the URL a phone opens, and the same as a QR code (Unicode half
 * blocks, two modules per character row). Empty when not in LAN mode.
 */
export function lanInvitation(simulator: RunningSimulator): string[] {
  if (!simulator.lan) return []
  const url = simulator.lan.invitation(simulator.port)
  return [
    `  On a phone of this network (--lan): scan the code or open the URL; it works once, then the next one is printed.`,
    `    ${url}`,
    ...renderUnicodeCompact(url, { border: 2 }).split('\n').map((row) => `    ${row}`),
    `  The console and QA test control (/_sim) stay on this machine; docs/security.md says what the network can reach.`,
  ]
}

/** Prints the next invitation each time a phone spent one. */
export function printNextInvitations(simulator: RunningSimulator, print: (text: string) => void = console.log): void {
  simulator.lan?.onSpent((device) => print([`\nA device (${device ?? 'unknown address'}) opened the host shell. For the next one:`, ...lanInvitation(simulator)].join('\n')))
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
  console.log([`\nSuperapp simulator ready in ${Math.round(performance.now())} ms`, ...simulatorBanner(simulator, plan), ...lanInvitation(simulator), 'Press Ctrl+C to stop.'].join('\n'))
  printNextInvitations(simulator)
  stopOnSignals(() => simulator.close())
  return undefined
}

export type { StartValues }
