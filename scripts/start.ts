/**
 * `npm start`: builds the browser pages when their sources changed, then brings up the
 * simulator (7070) and the sample game with its server (7071) on demo data, and prints
 * the URLs to open.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createSiteAllowlist } from '../game-sdk/src/server/siteAllowlist'
import { startSimulator, type RunningSimulator } from '../simulator/src/app'
import { SimulatorError } from '../simulator/src/errors'
import { findRepoRoot } from '../simulator/src/repoRoot'
import { buildStale } from './builds'
import { startSampleGame } from '../sample-game/server/app'
import { loadFixtureFile, looksLikeFixtureFile } from '../simulator/src/fixtures/fixtureFile'
import { packageFolderProblem } from '../simulator/src/host/minigamePackage'
import { pathToFileURL } from 'node:url'

const START_USAGE = `npm start -- [options]     (or: npx superapp-sim start [options])
  --port <n>          simulator port (env SIM_PORT, default 7070; 0 picks a free one)
  --game-port <n>     sample game port (env GAME_PORT, default 7071)
  --data-dir <dir>    where state is kept (env SIM_DATA_DIR, default .superapp-sim)
  --memory            keep state in memory only
  --delivery-url <u>  send the demo mini game's delivery notifications (URL and Test URL)
                      to your own server instead of the sample server (env SIM_DELIVERY_URL)
  --time-scale <n>    divide delivery retry waits by n, for demos (env SIM_TIME_SCALE)
  --fixture <f>       start from a fixture: demo, empty, or a fixture file (.yaml/.json);
                      replaces what the data folder held (env SIM_FIXTURE)
  --no-game           the simulator only, without the sample game and its server
  --package <dir>     a mini game package folder (game.json, game.js) the host shell runs
                      instead of a web game (env SIM_PACKAGE)
  --no-build          serve the pages (and run the server bundle) already in dist/
  --allowed-host <h>  answer to this host name too, besides localhost (repeatable; a leading
                      dot allows subdomains; env SIM_ALLOWED_HOSTS, comma-separated)
                      see docs/security.md
`

function parseStartFlags(argv: string[]) {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: process.env.SIM_PORT ?? '7070' },
      'game-port': { type: 'string', default: process.env.GAME_PORT ?? '7071' },
      'data-dir': { type: 'string', default: process.env.SIM_DATA_DIR ?? '.superapp-sim' },
      memory: { type: 'boolean', default: false },
      'delivery-url': { type: 'string', default: process.env.SIM_DELIVERY_URL },
      'no-build': { type: 'boolean', default: false },
      'time-scale': { type: 'string', default: process.env.SIM_TIME_SCALE ?? '1' },
      fixture: { type: 'string', default: process.env.SIM_FIXTURE },
      'no-game': { type: 'boolean', default: false },
      'allowed-host': { type: 'string', multiple: true, default: process.env.SIM_ALLOWED_HOSTS?.split(',').map((h) => h.trim()).filter(Boolean) ?? [] },
      package: { type: 'string', default: process.env.SIM_PACKAGE },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const port = (flag: 'port' | 'game-port') => {
    const value = Number(flags[flag])
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--${flag} must be a port number (0-65535), got "${flags[flag]}"`)
    return value
  }
  const timeScale = Number(flags['time-scale'])
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got "${flags['time-scale']}"`)
  const deliveryUrl = flags['delivery-url']
  if (deliveryUrl !== undefined && (!URL.canParse(deliveryUrl) || !/^https?:$/.test(new URL(deliveryUrl).protocol))) {
    throw new Error(`--delivery-url must be an http:// or https:// URL, got "${deliveryUrl}"`)
  }
  const allowedHosts = flags['allowed-host']
  // Checked by building the allowlist the servers will build: a bad name is refused here, before anything starts.
  createSiteAllowlist({ allowedHosts })
  const packageProblem = flags.package === undefined ? undefined : packageFolderProblem(path.resolve(flags.package))
  if (packageProblem) throw new Error(`--package: ${packageProblem}`)
  return { flags, simPort: port('port'), gamePort: port('game-port'), timeScale, deliveryUrl, allowedHosts }
}

/**
 * Starts everything; argv are the flags after `start`. Every flag is checked before
 * anything starts or changes (a fixture replaces the data folder). Returns the exit code
 * of a refusal, or undefined once running.
 */
export async function runStart(argv: string[]): Promise<number | undefined> {
  let parsed
  try {
    parsed = parseStartFlags(argv)
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${START_USAGE}`)
    return 2
  }
  const { flags, simPort, gamePort, timeScale, deliveryUrl, allowedHosts } = parsed
  if (flags.help) {
    console.log(START_USAGE)
    return 0
  }
  let fixtureFile: Awaited<ReturnType<typeof loadFixtureFile>> | undefined
  if (flags.fixture && looksLikeFixtureFile(flags.fixture)) {
    try {
      fixtureFile = await loadFixtureFile(flags.fixture)
    } catch (error) {
      console.error(`--fixture: ${(error as Error).message}`)
      return 2
    }
  }

  const root = findRepoRoot()

  if (!flags['no-build']) await buildStale(root, undefined, (message) => console.log(message))

  const sampleGameOrigin = `http://127.0.0.1:${gamePort}`
  let simulator: RunningSimulator
  try {
    simulator = await startSimulator({ port: simPort, dataDir: flags['data-dir'], memory: flags.memory, sampleGameOrigin, timeScale, hostShellDir: path.join(root, 'dist/host'), allowedHosts, packageDir: flags.package })
  } catch (error) {
    // A data folder that cannot be read says which file and field, and what to do.
    if (!(error instanceof SimulatorError && error.code === 'STORED_DATA')) throw error
    console.error(`--data-dir ${path.resolve(flags['data-dir'])}: ${error.message}`)
    return 1
  }
  if (flags.fixture) {
    try {
      if (fixtureFile) await simulator.sandboxes.fixtures.register(fixtureFile.name, fixtureFile.document)
      await simulator.sandboxes.reset('default', fixtureFile?.name ?? flags.fixture)
    } catch (error) {
      console.error(`--fixture: ${(error as Error).message}`)
      await simulator.close()
      return 2
    }
  }
  if (deliveryUrl) {
    await simulator.store.mutate((state) => {
      const demo = state.miniGames[0]
      if (demo) demo.delivery = { ...demo.delivery, url: deliveryUrl, testUrl: deliveryUrl }
    })
  }
  const game = flags['no-game']
    ? undefined
    : await startSampleGame({ port: gamePort, simulatorUrl: simulator.url, memory: flags.memory, dataDir: flags['data-dir'], clientDir: path.join(root, 'dist/game'), allowedHosts })
  // performance.now() counts from the process start, so this includes loading and building.
  const readyMs = Math.round(performance.now())

  const hostUrl = `http://localhost:${simulator.port}/host/`
  console.log(`
Superapp simulator ready in ${readyMs} ms
  Host shell (open this):  ${hostUrl}
  Console:                 http://localhost:${simulator.port}/console/  (users superadmin, platformadmin, mpadmin,
                           seniordev, developer, operator; password "password")
  Sample game server:      ${game ? `${game.url}/  (delivery URL ${game.url}/api/delivery)` : 'not started (--no-game)'}
  Simulator APIs:          ${simulator.url}  (GET /sns/jscode2session)
  Delivery notifications:  ${simulator.store.state.miniGames[0]?.delivery.url ?? 'none'}
  Mini game package:       ${flags.package ? `${path.resolve(flags.package)} (the host shell runs it)` : 'none (--package <dir> runs one)'}
  Data:                    ${flags.memory ? 'in memory' : path.resolve(flags['data-dir'])}${flags.fixture ? ` (reset to fixture ${flags.fixture})` : ''}
  QA test control:         ${simulator.url}/_sim/  (superapp-sim --help)
Your own game: ${hostUrl}?game=<your game URL>   or a mini game package: ${hostUrl}?package=<its URL>${game ? `
Gem Quest as a mini game package: ${hostUrl}?package=${encodeURIComponent(`${game.url}/minigame/`)}` : ''}
Press Ctrl+C to stop.`)

  let stopping = false
  async function shutdown() {
    if (stopping) return
    stopping = true
    await Promise.allSettled([game?.close(), simulator.close()])
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  return undefined
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runStart(process.argv.slice(2))
  if (code !== undefined) process.exitCode = code
}
