/**
 * @superapp-sim/simulator/vite: the simulator in a game's `vite dev`. It starts a
 * simulator with the dev server (or attaches to one already running), adds the drop-in
 * `wx` to the game's page in dev only, and prints the host shell URL that runs the game.
 * `vite build` is untouched: the plugin applies to `serve` only.
 */
import path from 'node:path'
import type { Plugin, ViteDevServer } from 'vite'
import { startSimulator, type Simulator } from '../index'

export interface SuperappSimOptions {
  /** The simulator's port: attached to when a simulator answers there, else started on it. Default 7070. */
  port?: number
  /** Attach to the simulator at this URL and never start one (e.g. http://127.0.0.1:7070). */
  url?: string
  /** A started simulator keeps its state here; default in memory (each `vite dev` starts afresh). */
  dataDir?: string
  /** The fixture a started simulator begins with: `demo` (default), `empty`, or a fixture file (.yaml/.json). */
  fixture?: string
  /** The mini game the host shell runs your page as (default: the fixture's first game). */
  appId?: string
  /** The test player (default: the fixture's first player). */
  player?: string
  /** Add `<script src="…/sdk/wx.js">` to the page in dev. Default true; false when your game builds in game-sdk's getWx(). */
  injectWx?: boolean
  /**
   * The folder of the mini game package your build writes (game.json, game.js), e.g.
   * `'dist/minigame'`: a started simulator runs it in the host shell (as `superapp-sim start
   * --package`), re-read on every load, so rebuild and reload. Relative to Vite's root.
   */
  package?: string
}

/** Whether a simulator answers at `url`: its test-control API names the sandbox. */
async function simulatorAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_sim/sandbox`, { signal: AbortSignal.timeout(1000) })
    const body = (await response.json()) as { sandbox?: unknown }
    return typeof body.sandbox === 'string'
  } catch {
    return false
  }
}

/** The dev server's own URL, once it listens. */
function devServerUrl(server: ViteDevServer): string | undefined {
  return server.resolvedUrls?.local[0] ?? server.resolvedUrls?.network[0]
}

/** What the plugin tells other plugins (a game's dev-time server, say): `plugin.api.url`. */
export interface SuperappSimApi {
  /** The simulator's root URL, once the dev server runs (e.g. for a game server's createHostClient). */
  readonly url: string
}

/**
 * The Vite plugin.
 *
 * @example
 * // vite.config.ts of your game
 * import { defineConfig } from 'vite'
 * import { superappSim } from '@superapp-sim/simulator/vite'
 * export default defineConfig({ plugins: [superappSim()] })
 * // `vite dev` prints: Superapp host shell: http://localhost:7070/host/?game=http%3A%2F%2Flocalhost%3A5173%2F
 */
export function superappSim(options: SuperappSimOptions = {}): Plugin<SuperappSimApi> {
  const port = options.port ?? 7070
  let simulatorUrl = options.url?.replace(/\/+$/, '') ?? `http://127.0.0.1:${port}`
  let started: Simulator | undefined
  let ready: Promise<void> | undefined

  async function attachOrStart(log: (message: string) => void, root: string): Promise<void> {
    const packageDir = options.package === undefined ? undefined : path.resolve(root, options.package)
    if (options.url || (await simulatorAnswers(simulatorUrl))) {
      if (!(await simulatorAnswers(simulatorUrl))) throw new Error(`[superapp-sim] no simulator answers at ${simulatorUrl}: start one with \`npx superapp-sim start\``)
      log(`[superapp-sim] attached to the simulator at ${simulatorUrl}`)
      if (packageDir) log(`[superapp-sim] it runs the package it was started with: start it with \`npx superapp-sim start --package ${packageDir}\` to run ${options.package}`)
      return
    }
    started = await startSimulator({
      packageDir,
      port,
      memory: options.dataDir === undefined,
      dataDir: options.dataDir,
      fixture: options.fixture ?? 'demo',
      log: (message) => log(message),
    })
    simulatorUrl = started.url
  }

  function hostShellUrl(gameUrl: string): string {
    const query = new URLSearchParams({ game: gameUrl })
    if (options.appId) query.set('appId', options.appId)
    if (options.player) query.set('player', options.player)
    return `${simulatorUrl.replace('127.0.0.1', 'localhost')}/host/?${query}`
  }

  return {
    name: 'superapp-sim',
    apply: 'serve',
    api: {
      get url() {
        return simulatorUrl
      },
    },
    async configureServer(server) {
      ready = attachOrStart((message) => server.config.logger.info(message), server.config.root)
      await ready
      const printUrls = server.printUrls.bind(server)
      server.printUrls = () => {
        printUrls()
        const gameUrl = devServerUrl(server)
        if (gameUrl) server.config.logger.info(`  ➜  Superapp host shell: ${hostShellUrl(gameUrl)}`)
        // Without ?game= the shell runs the package the simulator was started with.
        if (options.package) server.config.logger.info(`  ➜  Mini game package (${options.package}): ${simulatorUrl.replace('127.0.0.1', 'localhost')}/host/${options.player ? `?player=${encodeURIComponent(options.player)}` : ''}`)
      }
      server.httpServer?.once('close', () => void started?.close())
    },
    async transformIndexHtml() {
      await ready
      if (options.injectWx === false) return []
      return [{ tag: 'script', attrs: { src: `${simulatorUrl}/sdk/wx.js` }, injectTo: 'head-prepend' }]
    },
  }
}
