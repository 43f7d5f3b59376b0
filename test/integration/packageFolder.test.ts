import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { LOCAL_PACKAGE_ROUTE } from '../../simulator/src/host/minigameConfig'

const folder = path.resolve(import.meta.dirname, '../e2e/minigames/subpackages')
let withPackage: RunningSimulator
let without: RunningSimulator
beforeAll(async () => {
  withPackage = await startSimulator({ port: 0, memory: true, log: () => {}, packageDir: folder })
  without = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(async () => {
  await withPackage.close()
  await without.close()
})

/** `superapp-sim start --package <dir>`: the folder as the host shell loads it. */
describe('a package folder', () => {
  it('is listed with every file and its size, for the shell to check the limits before it runs', async () => {
    const response = await fetch(`${withPackage.url}${LOCAL_PACKAGE_ROUTE}/manifest`)
    expect(response.status).toBe(200)
    const manifest = await response.json()
    expect(manifest.folder).toBe(folder)
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['game.js', 'game.json', 'stage1/game.js', 'stage1/level.js'])
    expect(manifest.files.every((f: { bytes: number }) => f.bytes > 0)).toBe(true)
  })

  it('serves its files, and nothing above it', async () => {
    const game = await fetch(`${withPackage.url}${LOCAL_PACKAGE_ROUTE}/files/stage1/level.js`)
    expect(await game.text()).toContain('gems: 12')
    expect(game.headers.get('cache-control')).toBe('no-store')
    expect((await fetch(`${withPackage.url}${LOCAL_PACKAGE_ROUTE}/files/%2e%2e/plain/game.js`)).status).toBe(404)
  })

  it('is absent without --package: the manifest is a 204 and the shell runs the web game', async () => {
    expect((await fetch(`${without.url}${LOCAL_PACKAGE_ROUTE}/manifest`)).status).toBe(204)
    expect((await fetch(`${without.url}${LOCAL_PACKAGE_ROUTE}/files/game.js`)).status).toBe(404)
  })
})
