/**
 * `npm start` in this repository: builds what changed, then brings up the simulator (7070)
 * and the sample game with its server (7071) on demo data, and prints the URLs to open.
 * The simulator's own flags are parsed by its `start` command (one definition); this adds
 * the sample game's.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { errorMessage } from '@superapp-sim/game-sdk'
import { startSampleGame } from '../sample-game/server/app'
import {
  START_OPTIONS,
  START_USAGE,
  lanInvitation,
  planStart,
  portFlag,
  printNextInvitations,
  simulatorBanner,
  startPlanned,
  startRefusalExitCode,
  stopOnSignals,
  type StartValues,
} from '../simulator/src/startCommand'
import { REPO_ROOT } from './artefacts.mjs'

const NPM_START_USAGE = `npm start -- [options]
${START_USAGE.split('\n').slice(1).join('\n')}  --game-port <n>     sample game port (env GAME_PORT, default 7071)
  --no-game           the simulator only, without the sample game and its server
  --no-build          serve the pages (and run the bundles) already built
`

const NPM_START_OPTIONS = {
  ...START_OPTIONS,
  'game-port': { type: 'string', default: process.env.GAME_PORT ?? '7071' },
  'no-game': { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
} as const

/** Starts everything; argv are the flags after `npm start --`. Returns the exit code of a refusal, or undefined once running. */
export async function runNpmStart(argv: string[], { buildMs = 0 }: { buildMs?: number } = {}): Promise<number | undefined> {
  let plan, gamePort, values
  try {
    ;({ values } = parseArgs({ args: argv, options: NPM_START_OPTIONS }))
    plan = await planStart(values as StartValues)
    gamePort = portFlag('game-port', values['game-port'])
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${NPM_START_USAGE}`)
    return 2
  }
  if (plan.help) {
    console.log(NPM_START_USAGE)
    return 0
  }

  let simulator
  const sampleGameOrigin = `http://127.0.0.1:${gamePort}`
  try {
    simulator = await startPlanned(plan, { sampleGameOrigin, webDir: path.join(REPO_ROOT, 'simulator/dist/web') })
  } catch (error) {
    const exitCode = startRefusalExitCode(error)
    if (exitCode === undefined) throw error
    console.error(errorMessage(error))
    return exitCode
  }
  const game = values['no-game']
    ? undefined
    : await startSampleGame({ port: gamePort, simulatorUrl: simulator.url, memory: plan.memory, dataDir: plan.dataDir, clientDir: path.join(REPO_ROOT, 'sample-game/dist/web'), miniGameDir: path.join(REPO_ROOT, 'sample-game/dist/minigame'), allowedHosts: plan.allowedHosts, lan: simulator.lan && { address: simulator.lan.address, admit: simulator.lan.guestGate } })
  // performance.now() counts from the process start: loading, and the build, which is said apart.
  const banner = simulatorBanner(simulator, plan, sampleGameOrigin)
  banner.splice(3, 0, `  Sample game server:      ${game ? `${game.url}/  (delivery URL ${game.url}/api/delivery)` : 'not started (--no-game)'}`)
  if (game) banner.push(`Gem Quest as a mini game package: http://localhost:${simulator.port}/host/?package=${encodeURIComponent(`${game.url}/minigame/`)}`)
  const built = buildMs > 0 ? ` (after ${(buildMs / 1000).toFixed(1)} s building)` : ''
  console.log([`\nSuperapp simulator ready in ${Math.round(performance.now() - buildMs)} ms${built}`, ...banner, ...lanInvitation(simulator), 'Press Ctrl+C to stop.'].join('\n'))
  printNextInvitations(simulator)
  stopOnSignals(() => Promise.allSettled([game?.close(), simulator.close()]))
  return undefined
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runNpmStart(process.argv.slice(2))
  if (code !== undefined) process.exitCode = code
}
