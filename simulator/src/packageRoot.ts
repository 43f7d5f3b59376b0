import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = '@superapp-sim/simulator'

/**
 * The simulator package's folder (where dist/ is), found by walking up to its
 * package.json, so it is right from the TypeScript sources, from the built files in dist/,
 * and from an install in a game's node_modules, whose folder depths differ.
 */
export function simulatorPackageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} folder above ${from}`)
  }
}

/** Where the built browser pages are: host/, console/ and sdk/wx.js. */
export function defaultWebDir(): string {
  return path.join(simulatorPackageRoot(), 'dist/web')
}
