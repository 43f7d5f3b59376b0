// What each built artefact of the repository is made from, whether it is current, and
// building the stale ones. Plain JavaScript, so `npm start` and the simulator's bin can
// check freshness without a TypeScript loader; Vite and tsdown are imported only when
// something must be built.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

export const REPO_ROOT = path.resolve(import.meta.dirname, '..')

const VITE_CONFIG = path.join(REPO_ROOT, 'vite.config.ts')

/**
 * Every artefact: the folders and files it is built from, one file it writes (its
 * freshness is that file's time), and how it is built (a Vite mode of vite.config.ts, or
 * tsdown in a package folder).
 */
export const ARTEFACTS = {
  /** The host shell page (simulator/dist/web/host). */
  host: { sources: ['simulator/src/host', 'simulator/src/events', 'simulator/src/payments', 'simulator/src/sandbox', 'game-sdk/src'], output: 'simulator/dist/web/host/index.html', vite: 'host' },
  /** The console pages (simulator/dist/web/console). */
  console: { sources: ['simulator/src/console/web'], output: 'simulator/dist/web/console/index.html', vite: 'console' },
  /** The drop-in wx.js (simulator/dist/web/sdk/wx.js). */
  sdk: { sources: ['simulator/src/host/dropIn', 'game-sdk/src'], output: 'simulator/dist/web/sdk/wx.js', vite: 'sdk' },
  /** The sample game as a mini game package (sample-game/dist/minigame: game.json, game.js). */
  minigame: { sources: ['sample-game/minigame', 'sample-game/client/src', 'sample-game/shared', 'game-sdk/src', 'simulator/src/demo'], output: 'sample-game/dist/minigame/game.js', vite: 'minigame' },
  /** The sample game's web build (sample-game/dist/web). */
  game: { sources: ['sample-game/client', 'sample-game/shared', 'game-sdk/src', 'simulator/src/demo'], output: 'sample-game/dist/web/index.html', vite: 'game' },
  /** `npm start` as one Node bundle (dist/start.mjs): the simulator and the sample game server, from their sources. */
  start: { sources: ['simulator/src', 'game-sdk/src', 'sample-game/server', 'sample-game/shared', 'scripts'], output: 'dist/start.mjs', vite: 'start' },
  /** game-sdk's package build. */
  'game-sdk': { sources: ['game-sdk/src', 'game-sdk/tsdown.config.ts', 'game-sdk/package.json'], output: 'game-sdk/dist/index.js', tsdown: 'game-sdk' },
  /** The simulator's Node entries (cli, startSimulator, the Vite plugin, fixtures). */
  simulator: { sources: ['simulator/src', 'simulator/tsdown.config.ts', 'simulator/package.json'], output: 'simulator/dist/cli.mjs', tsdown: 'simulator' },
}

/** What `npm start` runs on. */
export const NPM_START_ARTEFACTS = ['host', 'console', 'sdk', 'game', 'minigame', 'start']
/** What the simulator package ships (its prepack). */
export const SIMULATOR_PACKAGE_ARTEFACTS = ['host', 'console', 'sdk', 'simulator']

/** The newest modification time of any file under the folders or of the files (0 when none exist). */
export function newestMtime(paths, root = REPO_ROOT) {
  let newest = 0
  for (const relative of paths) {
    const full = path.join(root, relative)
    let stat
    try {
      stat = statSync(full)
    } catch {
      continue
    }
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs)
      continue
    }
    for (const entry of readdirSync(full, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && !entry.parentPath.includes(`${path.sep}dist`)) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  return newest
}

/** The modification time of a file, 0 when it does not exist. */
export function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

/** True when the artefact exists and is at least as new as every one of its sources. */
export function isFresh(name, root = REPO_ROOT) {
  const artefact = ARTEFACTS[name]
  const built = mtimeOf(path.join(root, artefact.output))
  return built > 0 && built >= newestMtime(artefact.sources, root)
}

/**
 * Builds the named artefacts that are stale (all of them with `force`), in order; returns the
 * names built. Logs each as it starts, numbered, and how long it took.
 */
export async function buildStale(names, { log = () => {}, force = false, root = REPO_ROOT } = {}) {
  const built = []
  const stale = names.filter((name) => force || !isFresh(name, root))
  for (const [index, name] of stale.entries()) {
    const artefact = ARTEFACTS[name]
    const started = performance.now()
    log(`  [${index + 1}/${stale.length}] building ${path.dirname(artefact.output)}…`)
    if (artefact.vite) {
      const { build } = await import('vite')
      await build({ configFile: VITE_CONFIG, mode: artefact.vite, logLevel: 'warn' })
    } else {
      const { build } = await import('tsdown')
      const cwd = path.join(root, artefact.tsdown)
      await build({ config: path.join(cwd, 'tsdown.config.ts'), cwd, logLevel: 'warn' })
    }
    log(`        ${path.dirname(artefact.output)} built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    built.push(name)
  }
  return built
}
