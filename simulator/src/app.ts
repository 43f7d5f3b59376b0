import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express, { type Express } from 'express'
import type { Clock } from './clock'
import { FileImageStore, MemoryImageStore } from './catalog/images'
import { EVENT_STREAM_PATH, checkEventStream, serveEventStream } from './control/eventStream'
import { sandboxRoutes } from './control/sandboxRoutes'
import type { DeliveryEngine } from './delivery/deliveryEngine'
import type { EventBus } from './events/eventBus'
import { HOST_EVENTS_PATH, serveHostEvents } from './host/hostEvents'
import { HOST_SOCKET_PATH, checkHostSocket, serveHostSocket } from './host/hostSocket'
import { LOCAL_PACKAGE_ROUTE } from './host/minigameConfig'
import { localPackageRoutes } from './host/minigamePackage'
import { errorHandler, notFound } from './http/errors'
import type { SimulatorCore } from './sandbox/core'
import { SandboxRegistry } from './sandbox/registry'
import { requireSandbox, sandboxSelection } from './sandbox/selectSandbox'
import { routeUpgrades } from './sandbox/upgrades'
import { findRepoRoot } from './repoRoot'
import { Store } from './store/store'


export interface SimulatorOptions {
  /** 0 picks a free port. Default 7070. */
  port?: number
  /** Default 127.0.0.1: the simulator is a local tool. */
  host?: string
  /** Folder of the lowdb file. Default `.superapp-sim` in the working directory. */
  dataDir?: string
  /** Keep state in memory only (tests, throwaway runs). */
  memory?: boolean
  clock?: Clock
  /** Where the sample game runs; the demo data points its delivery URL and game URL there. */
  sampleGameOrigin?: string
  /** Built host shell page. Default dist/host. */
  hostShellDir?: string
  log?: (message: string) => void
  fetch?: typeof fetch
  /** Divides delivery retry waits (demos). Default 1. */
  timeScale?: number
  /** Per-attempt delivery timeout in ms. Default 3000. */
  attemptTimeoutMs?: number
  /** A mini game package folder the host shell runs (`start --package`). */
  packageDir?: string
}

export interface RunningSimulator {
  url: string
  port: number
  /** The default sandbox's parts (after a reset of it, the new ones). */
  readonly store: Store
  readonly delivery: DeliveryEngine
  readonly events: EventBus
  readonly core: SimulatorCore
  /** Every sandbox of this process; `sandboxes.reset(name, fixture)` creates one. */
  sandboxes: SandboxRegistry
  app: Express
  close(): Promise<void>
}

/**
 * Starts the simulator: the host's server APIs, the host shell, the delivery engine, on a
 * store that is seeded with demo data when empty.
 *
 * @example
 * const sim = await startSimulator({ port: 0, memory: true })
 * console.log(sim.url) // http://127.0.0.1:54321
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = options.log ?? ((message: string) => console.log(message))
  const dataDir = options.dataDir ?? path.resolve('.superapp-sim')
  const store = options.memory ? await Store.memory() : await Store.file(dataDir)
  // Uploaded item images sit beside state.json (or in memory with it).
  const images = options.memory ? new MemoryImageStore() : new FileImageStore(path.join(dataDir, 'uploads'))
  const sandboxes = new SandboxRegistry({
    defaultStore: store,
    defaultImages: images,
    baseClock: options.clock,
    sampleGameOrigin: options.sampleGameOrigin ?? 'http://127.0.0.1:7071',
    log,
    fetch: options.fetch,
    timeScale: options.timeScale,
    attemptTimeoutMs: options.attemptTimeoutMs,
  })
  await sandboxes.open()

  const app = express()
  app.disable('x-powered-by')
  // Every request names its sandbox (default unless a /sandbox/<name> prefix or header says otherwise).
  app.use(sandboxSelection())
  // Loopback-only test control: checked there, once, for every sandbox's /_sim routes.
  app.use('/_sim', sandboxRoutes(sandboxes))
  app.use(requireSandbox(sandboxes), (req, res, next) => res.locals.core!.router(req, res, next))
  // The pages are the same files for every sandbox: they call their API relative to where they were loaded.
  const hostShellDir = options.hostShellDir ?? path.join(findRepoRoot(), 'dist/host')
  if (existsSync(hostShellDir)) {
    app.use('/host', express.static(hostShellDir))
  } else {
    app.get('/host/', (_req, res) => {
      res.status(503).type('text/plain').send('The host shell is not built yet: run `npm run build` (npm start does it for you).')
    })
  }
  app.use(LOCAL_PACKAGE_ROUTE, localPackageRoutes(options.packageDir && path.resolve(options.packageDir)))
  const consoleDir = path.join(path.dirname(hostShellDir), 'console')
  if (existsSync(consoleDir)) app.use('/console', express.static(consoleDir))
  // The drop-in `wx` for games that are not built with game-sdk; any origin may load it.
  const sdkDir = path.join(path.dirname(hostShellDir), 'sdk')
  app.use('/sdk', (_req, res, next) => {
    res.set('access-control-allow-origin', '*')
    next()
  }, express.static(sdkDir))
  app.get('/', (_req, res) => res.redirect('/host/'))
  app.use(notFound)
  app.use(errorHandler(log))

  const server = app.listen(options.port ?? 7070, options.host ?? '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const sockets = routeUpgrades(server, sandboxes, {
    [HOST_EVENTS_PATH]: { serve: serveHostEvents, maxPayload: 1024 },
    [HOST_SOCKET_PATH]: { check: checkHostSocket, serve: serveHostSocket, maxPayload: 64 * 1024 },
    [EVENT_STREAM_PATH]: { check: checkEventStream, serve: serveEventStream, maxPayload: 1024 },
  }, log)
  const port = (server.address() as AddressInfo).port
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`

  return {
    url,
    port,
    get store() {
      return sandboxes.default.store
    },
    get delivery() {
      return sandboxes.default.delivery
    },
    get events() {
      return sandboxes.default.events
    },
    get core() {
      return sandboxes.default
    },
    sandboxes,
    app,
    async close() {
      await sandboxes.close()
      sockets.close()
      await store.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
