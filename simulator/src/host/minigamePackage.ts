/**
 * A mini game package served from a folder (`superapp-sim start --package ./dist/minigame`):
 * its file list at `/host/package/manifest` (read again on every request, so a rebuild is
 * seen on the next reload) and its files under `/host/package/files/`. The host shell runs
 * it when no other game is asked for.
 */
import { existsSync, statSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import express, { Router } from 'express'
import { SimulatorError } from '../errors'
import { NO_CONTENT, defineRoute, mountRoutes } from '../http/routeDefinition'
import { packageManifestView } from './schemas'
import type { PackageManifest } from './minigameConfig'

/** Folders a package folder may hold that are not part of the package. */
const SKIPPED = new Set(['node_modules', '.git'])
/** A folder with more files than this is not a package (a wrong path, such as the project root). */
const MAX_FILES = 10_000

/** Every file of the package, with its size. */
export async function readPackageFolder(folder: string): Promise<PackageManifest> {
  const files: PackageManifest['files'] = []
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (entry.isFile()) {
        if (files.length >= MAX_FILES) throw new SimulatorError('CONFLICT', `${folder} has more than ${MAX_FILES} files: is it the package folder (the one with game.json)?`)
        files.push({ path: path.relative(folder, full).split(path.sep).join('/'), bytes: (await stat(full)).size })
      }
    }
  }
  await walk(folder)
  files.sort((a, b) => a.path.localeCompare(b.path))
  return { folder, files }
}

/** Why `folder` cannot be served as a package, or undefined when it can. Checked before the simulator starts. */
export function packageFolderProblem(folder: string): string | undefined {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return `${folder} is not a folder`
  if (!existsSync(path.join(folder, 'game.json'))) return `${folder} has no game.json: point --package at the folder that holds game.json and game.js`
  if (!existsSync(path.join(folder, 'game.js'))) return `${folder} has no game.js: a mini game package starts from game.js`
  return undefined
}

/** The package manifest's route, below LOCAL_PACKAGE_ROUTE; its context is the folder served, if any. */
export const LOCAL_PACKAGE_ROUTES = {
  manifest: defineRoute<string | undefined>()({
    method: 'GET',
    path: '/manifest',
    summary:
      'The mini game package folder of `superapp-sim start --package <dir>`: its files and sizes (the shell checks the 4 MB main package limit with it). Its files are at `/host/package/files/<path>`.',
    response: packageManifestView,
    errors: ['204: no package folder is served'],
    handler: async (folder, _input, res) => {
      res.set('cache-control', 'no-store')
      // 204, not 404: the shell asks on every load, and a missing package is the usual case.
      return folder ? readPackageFolder(folder) : NO_CONTENT
    },
  }),
}

/**
 * The routes serving a package folder, mounted at LOCAL_PACKAGE_ROUTE.
 *
 * @example
 * app.use(LOCAL_PACKAGE_ROUTE, localPackageRoutes(path.resolve('dist/minigame')))
 * app.use(LOCAL_PACKAGE_ROUTE, localPackageRoutes(undefined)) // no package: the manifest is a 204
 */
export function localPackageRoutes(folder: string | undefined): Router {
  const router = mountRoutes(Router(), Object.values(LOCAL_PACKAGE_ROUTES), folder)
  if (!folder) return router
  // No caching: the developer rebuilds and reloads.
  router.use('/files', express.static(folder, { dotfiles: 'ignore', etag: false, lastModified: false, setHeaders: (res) => res.set('cache-control', 'no-store') }))
  return router
}
