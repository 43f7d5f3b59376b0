/**
 * What each built artefact in dist/ is made from, and rebuilding the stale ones: one rule
 * for `npm start`, the benchmarks and bin/superapp-sim.mjs (whose server-bundle check is
 * in bin/freshness.mjs, plain JS).
 */
import path from 'node:path'
import { SERVER_SOURCES, mtimeOf, newestMtime } from '../bin/freshness.mjs'

export const BUILD_SOURCES = {
  game: ['sample-game/client', 'sample-game/shared', 'game-sdk/src'],
  // The shell and its mini game runtime import the browser-safe modules of simulator/src/host too.
  host: ['simulator/src/host', 'game-sdk/src/core'],
  console: ['simulator/src/console/web'],
  minigame: ['sample-game/minigame', 'sample-game/client/src', 'sample-game/shared', 'game-sdk/src'],
  sdk: ['game-sdk/src/core', 'game-sdk/src/browser'],
  // The simulator's own code as one Node bundle: bin/superapp-sim.mjs runs it when it is
  // newer than these sources (no TypeScript loader at start-up: about 1 s less).
  server: SERVER_SOURCES,
} as const satisfies Record<string, readonly string[]>

export type BuildMode = keyof typeof BUILD_SOURCES

const OUTPUT: Record<BuildMode, string> = {
  game: 'game/index.html',
  host: 'host/index.html',
  console: 'console/index.html',
  minigame: 'minigame/game.js',
  sdk: 'sdk/wx.js',
  server: 'server/cli.mjs',
}

/** Whether dist/ lacks the artefact or holds one older than one of its sources. */
export function isStale(root: string, mode: BuildMode): boolean {
  return newestMtime(root, [...BUILD_SOURCES[mode]]) > mtimeOf(path.join(root, 'dist', OUTPUT[mode]))
}

/** Builds (vite, one mode at a time) each artefact older than one of its sources; returns what it built. */
export async function buildStale(root: string, modes: readonly BuildMode[] = Object.keys(BUILD_SOURCES) as BuildMode[], log: (message: string) => void = () => {}): Promise<BuildMode[]> {
  const built: BuildMode[] = []
  for (const mode of modes) {
    if (!isStale(root, mode)) continue
    log(`building dist/${mode}…`)
    // Loaded only when something is stale: Vite takes a while to import.
    const { build } = await import('vite')
    await build({ configFile: path.join(root, 'vite.config.ts'), mode, logLevel: 'warn' })
    built.push(mode)
  }
  return built
}
