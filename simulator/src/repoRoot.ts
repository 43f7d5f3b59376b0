import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'superapp-pay-sim'

/**
 * The project folder (where dist/ is), found by walking up to our package.json, so it is
 * right both when running from the TypeScript sources and from the server bundle in
 * dist/server, whose folder depth differs.
 */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} folder above ${from}`)
  }
}
