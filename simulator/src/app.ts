import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express, { Router, type Express } from 'express'
import { requestGuard } from '@superapp-sim/game-sdk/express'
import { createSiteAllowlist } from '@superapp-sim/game-sdk/server'
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
import { refuseWithSimulatorError } from './http/guard'
import type { SimulatorCore } from './sandbox/core'
import { coreRoutes } from './sandbox/coreRoutes'
import { SandboxRegistry } from './sandbox/registry'
import { requireSandbox, sandboxSelection } from './sandbox/selectSandbox'
import { routeUpgrades } from './sandbox/upgrades'
import { defaultWebDir } from './packageRoot'
import { Store, type StoreOptions } from './store/store'
import { FAVICON_PATHS, serveFavicon } from './http/favicon'
import { noteClientAddress, socketPeerAddress, type ClientAddressOf } from './http/clientAddress'
import { createLanAccess, type LanAccess } from './http/lanAccess'


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
  /** The built pages (host/, console/, sdk/). Default: the package's dist/web. */
  webDir?: string
  log?: (message: string) => void
  /** The fetch wx.request relays call out with (tests inject one). Default: the global fetch. */
  fetch?: typeof fetch
  /** Divides delivery retry waits (demos). Default 1. */
  timeScale?: number
  /** Per-attempt delivery timeout in ms. Default 3000. */
  attemptTimeoutMs?: number
  /**
   * Host names the simulator answers to besides localhost, 127.0.0.1 and [::1] (as Vite's
   * `server.allowedHosts`: a leading dot allows subdomains). Any other Host is refused (DNS
   * rebinding). `superapp-sim start --allowed-host`. See docs/security.md.
   */
  allowedHosts?: string[]
  /** Pages of other origins trusted like the simulator's own (e.g. a Vite dev server in front of it). */
  allowedOrigins?: string[]
  /** Options of every sandbox's store (tests turn on `verifyTablesOnly`). */
  storeOptions?: StoreOptions
  /** A mini game package folder the host shell runs (`start --package`). */
  packageDir?: string
  /**
   * The LAN demo (`start --lan`): listen on every interface (instead of `host`), answer to
   * this address of the machine too, and admit devices from the network through one-time
   * invitations (`RunningSimulator.lan`). See docs/decisions/012-lan-demo.md.
   */
  lan?: { address: string }
  /**
   * Tells a request's client address, which decides what is loopback (test control, console)
   * and who needs the LAN invitation. Default: the TCP peer. Tests simulate a device of the
   * network with it while connecting over 127.0.0.1.
   */
  clientAddress?: ClientAddressOf
}

/** What the Host refusal tells a user to do: the flag, the env var and the option. */
export const HOW_TO_ALLOW_HOST = 'start the simulator with --allowed-host <name> (or SIM_ALLOWED_HOSTS=<name>), or pass allowedHosts: ["<name>"] to startSimulator'

/**
 * The Content-Security-Policy of the console: its own scripts and styles only (the built
 * page has no inline script or style), its API and event socket on its own origin, images
 * from anywhere (an item's image URL may point at any server; blob: previews an upload),
 * and no page may frame it (clickjacking a Release or Approve button).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: http: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ')

/**
 * The host shell's: the same, and it frames a web game, which may be served from any
 * http(s) origin (`?game=<your game URL>`), or reads a mini game package's game.json from
 * any origin (`?package=<URL>`). Nobody may frame the shell: the payment sheet's Pay button
 * must not be clickable through someone else's page.
 */
export const HOST_SHELL_CSP = CONSOLE_CSP.replace("connect-src 'self'", "connect-src 'self' http: https:").replace("frame-ancestors 'none'", "frame-src http: https:; frame-ancestors 'none'")

/**
 * The mini game runtime's worker (its script is served with its own policy, which a
 * dedicated worker takes from its response): it evaluates the package's code (the
 * platform runs game.js as script, so `'unsafe-eval'` here and only here) and reads the
 * package's files and images from wherever the package is served.
 */
export const MINIGAME_WORKER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval'",
  "connect-src 'self' http: https: data: blob:",
  "img-src 'self' data: blob: http: https:",
  "font-src 'self' data: blob: http: https:",
].join('; ')

/** Where the host shell build puts the runtime's worker (vite.config.ts, mode host). */
export const MINIGAME_WORKER_ASSETS = '/host/assets/minigame-worker'

/** Headers of a page of the simulator: its CSP, and the older headers that say the same to older browsers. */
function pagePolicy(policy: string): express.RequestHandler {
  return (_req, res, next) => {
    res.set({ 'content-security-policy': policy, 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' })
    next()
  }
}

/** Where the sample game's server runs unless told otherwise (the repository's npm start puts it there). */
export const DEFAULT_SAMPLE_GAME_ORIGIN = 'http://127.0.0.1:7071'

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
  /** The LAN demo's invitations, when started with `lan`. */
  lan?: LanAccess
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
  const store = options.memory ? await Store.memory(options.storeOptions) : await Store.file(dataDir, options.storeOptions)
  // Uploaded item images sit beside state.json (or in memory with it).
  const images = options.memory ? new MemoryImageStore() : new FileImageStore(path.join(dataDir, 'uploads'))
  const sandboxes = new SandboxRegistry({
    defaultStore: store,
    defaultImages: images,
    baseClock: options.clock,
    sampleGameOrigin: options.sampleGameOrigin ?? DEFAULT_SAMPLE_GAME_ORIGIN,
    log,
    fetch: options.fetch,
    timeScale: options.timeScale,
    attemptTimeoutMs: options.attemptTimeoutMs,
    storeOptions: options.storeOptions,
  })
  await sandboxes.open()

  const clientAddressOf = options.clientAddress ?? socketPeerAddress
  const lan = options.lan && createLanAccess(options.lan.address, clientAddressOf)
  const sites = createSiteAllowlist({
    // In LAN mode the machine's network address too (an IP address cannot be rebound), and nothing else new.
    allowedHosts: [...(options.allowedHosts ?? []), ...(lan ? [lan.address] : [])],
    allowedOrigins: options.allowedOrigins,
    listenHost: options.host ?? '127.0.0.1',
    howToAllowHost: HOW_TO_ALLOW_HOST,
  })
  const app = express()
  app.disable('x-powered-by')
  app.use((req, _res, next) => {
    noteClientAddress(req, clientAddressOf)
    next()
  })
  // First of all: a request for a host name we do not answer to (DNS rebinding) or a change
  // sent by a foreign web page is refused before it reaches a sandbox, a route or a file.
  app.use(requestGuard({ sites, onRefuse: refuseWithSimulatorError }))
  // Every request names its sandbox (default unless a /sandbox/<name> prefix or header says otherwise).
  app.use(sandboxSelection())
  // LAN mode: a device of the network needs its invitation's cookie, and never reaches the console or /_sim.
  if (lan) app.use(lan.simulatorGate, Router().use(['/console', '/_sim'], lan.loopbackOnly))
  // Loopback-only test control: checked there, once, for every sandbox's /_sim routes.
  app.use('/_sim', sandboxRoutes(sandboxes))
  app.use(requireSandbox(sandboxes), (req, res, next) => coreRoutes(res.locals.core!)(req, res, next))
  // The pages are the same files for every sandbox: they call their API relative to where they were loaded.
  const webDir = options.webDir ?? defaultWebDir()
  const hostShellDir = path.join(webDir, 'host')
  app.use('/host', pagePolicy(HOST_SHELL_CSP))
  app.use(MINIGAME_WORKER_ASSETS, pagePolicy(MINIGAME_WORKER_CSP))
  app.use('/console', pagePolicy(CONSOLE_CSP))
  if (existsSync(hostShellDir)) {
    app.use('/host', express.static(hostShellDir))
  } else {
    app.get('/host/', (_req, res) => {
      res.status(503).type('text/plain').send(`The host shell is not built in ${webDir}: run \`npm run build\` (npm start does it for you).`)
    })
  }
  app.use(LOCAL_PACKAGE_ROUTE, localPackageRoutes(options.packageDir && path.resolve(options.packageDir)))
  const consoleDir = path.join(webDir, 'console')
  if (existsSync(consoleDir)) app.use('/console', express.static(consoleDir))
  // The drop-in `wx` for games that are not built with game-sdk; any origin may load it.
  const sdkDir = path.join(webDir, 'sdk')
  app.use('/sdk', (_req, res, next) => {
    res.set('access-control-allow-origin', '*')
    next()
  }, express.static(sdkDir))
  app.get(FAVICON_PATHS, serveFavicon)
  app.get('/', (_req, res) => res.redirect('/host/'))
  app.use(notFound)
  app.use(errorHandler(log))

  const server = app.listen(options.port ?? 7070, lan ? '0.0.0.0' : (options.host ?? '127.0.0.1'))
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const sockets = routeUpgrades(server, sandboxes, {
    [HOST_EVENTS_PATH]: { serve: serveHostEvents, maxPayload: 1024 },
    [HOST_SOCKET_PATH]: { check: checkHostSocket, serve: serveHostSocket, maxPayload: 64 * 1024 },
    [EVENT_STREAM_PATH]: { check: checkEventStream, serve: serveEventStream, maxPayload: 1024 },
  }, sites, log, { clientAddress: clientAddressOf, admit: lan && ((request, path) => lan.refuseUpgrade(request, path)) })
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
    lan,
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
