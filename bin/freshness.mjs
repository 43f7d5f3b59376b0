// Which built artefacts are current: shared by bin/superapp-sim.mjs (plain Node, no
// TypeScript loader) and scripts/start.ts (which rebuilds what is stale).
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** What the server bundle (dist/server/cli.mjs) is built from. */
export const SERVER_SOURCES = ['simulator/src', 'game-sdk/src', 'sample-game/server', 'sample-game/shared', 'scripts']

/** The newest modification time of any file under the folders (0 when none exist). */
export function newestMtime(root, folders) {
  let newest = 0
  for (const folder of folders) {
    let entries
    try {
      entries = readdirSync(path.join(root, folder), { withFileTypes: true, recursive: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
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

/** True when dist/server/cli.mjs exists and is at least as new as every server source. */
export function serverBundleIsFresh(root) {
  const built = mtimeOf(path.join(root, 'dist/server/cli.mjs'))
  return built > 0 && built >= newestMtime(root, SERVER_SOURCES)
}
