/**
 * The Vite plugin with a game that builds a mini game package: `superappSim({ package })`
 * starts the simulator with that folder, so the host shell runs the package the game's
 * build writes, and prints where. Vite's own createServer, the plugin from its source.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createServer, type ViteDevServer } from 'vite'
import { afterEach, describe, expect, it } from 'vitest'
import { superappSim } from '@superapp-sim/simulator/vite'

let server: ViteDevServer | undefined
let root: string | undefined

afterEach(async () => {
  await server?.close()
  if (root) await rm(root, { recursive: true, force: true })
  server = root = undefined
})

describe('superappSim({ package })', () => {
  it("starts the simulator with the game's package folder, re-read on each load, and prints the shell URL", async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vite-package-'))
    const packageDir = path.join(root, 'dist/minigame')
    await import('node:fs/promises').then((fs) => fs.mkdir(packageDir, { recursive: true }))
    await writeFile(path.join(packageDir, 'game.json'), JSON.stringify({ deviceOrientation: 'portrait' }))
    await writeFile(path.join(packageDir, 'game.js'), 'GameGlobal.loaded = true\n')
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>game</title>')

    const plugin = superappSim({ port: 0, package: 'dist/minigame' })
    const lines: string[] = []
    server = await createServer({ root, configFile: false, logLevel: 'info', plugins: [plugin], server: { port: 0, host: '127.0.0.1' }, customLogger: { info: (m: string) => void lines.push(m), warn: () => {}, warnOnce: () => {}, error: () => {}, clearScreen: () => {}, hasErrorLogged: () => false, hasWarned: false } })
    await server.listen()
    server.printUrls()

    const simulator = plugin.api!.url
    const manifest = await (await fetch(`${simulator}/host/package/manifest`)).json() as { files: Array<{ path: string }> }
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['game.js', 'game.json'])
    // A rebuild is seen on the next load, without restarting anything.
    await writeFile(path.join(packageDir, 'stage.js'), 'module.exports = 1\n')
    const again = await (await fetch(`${simulator}/host/package/manifest`)).json() as { files: Array<{ path: string }> }
    expect(again.files.map((f) => f.path)).toContain('stage.js')
    expect(await (await fetch(`${simulator}/host/package/files/game.js`)).text()).toBe('GameGlobal.loaded = true\n')
    expect(lines.join('\n')).toContain(`Mini game package (dist/minigame): ${simulator.replace('127.0.0.1', 'localhost')}/host/`)
  }, 60_000)
})
