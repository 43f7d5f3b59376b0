import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { type Express } from 'express'
import { systemClock, type Clock } from './clock'
import { FileImageStore, MemoryImageStore } from './catalog/images'
import { mediaRoutes } from './catalog/mediaRoutes'
import { demoState } from './demo/demoData'
import { DeliveryEngine } from './delivery/deliveryEngine'
import { CONSOLE_API_BASE, consoleApi } from './console/consoleApi'
import { controlRoutes } from './control/controlRoutes'
import { EventBus } from './events/eventBus'
import { attachHostEvents } from './host/hostEvents'
import { hostApiRoutes } from './host/hostRoutes'
import { errorHandler, notFound } from './http/errors'
import { loginRoutes } from './login/loginRoutes'
import { PaymentService } from './payments/paymentService'
import { RefundService } from './refunds/refundService'
import { xpayRoutes } from './serverApi/xpayRoutes'
import { Store } from './store/store'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

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
}

export interface RunningSimulator {
  url: string
  port: number
  store: Store
  delivery: DeliveryEngine
  events: EventBus
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
  const clock = options.clock ?? systemClock
  const log = options.log ?? ((message: string) => console.log(message))
  const dataDir = options.dataDir ?? path.resolve('.superapp-sim')
  const store = options.memory ? await Store.memory() : await Store.file(dataDir)
  // Uploaded item images sit beside state.json (or in memory with it).
  const images = options.memory ? new MemoryImageStore() : new FileImageStore(path.join(dataDir, 'uploads'))
  if (store.isEmpty) {
    await store.replace(await demoState({ sampleGameOrigin: options.sampleGameOrigin ?? 'http://127.0.0.1:7071', clock }))
  }
  const events = new EventBus(() => clock.now())
  const delivery = new DeliveryEngine({ store, clock, fetch: options.fetch, log, events, timeScale: options.timeScale, attemptTimeoutMs: options.attemptTimeoutMs })
  const payments = new PaymentService(store, clock, delivery, events)
  const refunds = new RefundService(store, clock, delivery, events)

  const app = express()
  app.disable('x-powered-by')
  app.use(loginRoutes(store, clock))
  app.use(xpayRoutes(store, clock, delivery, refunds))
  app.use('/host/api', hostApiRoutes(store, clock, payments, refunds))
  app.use(CONSOLE_API_BASE, consoleApi(store, clock, delivery, images, refunds))
  app.use('/_sim', controlRoutes(store, delivery))
  app.use(mediaRoutes(images))
  const hostShellDir = options.hostShellDir ?? path.join(repoRoot, 'dist/host')
  if (existsSync(hostShellDir)) {
    app.use('/host', express.static(hostShellDir))
  } else {
    app.get('/host/', (_req, res) => {
      res.status(503).type('text/plain').send('The host shell is not built yet: run `npm run build` (npm start does it for you).')
    })
  }
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
  const hostEvents = attachHostEvents(server, events)
  const port = (server.address() as AddressInfo).port
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`

  await payments.closeAbandonedSheets()
  delivery.resume()
  const recovered = await delivery.recover()
  if (recovered > 0) log(`[delivery] recovered ${recovered} paid order(s) whose notification was not written before a crash`)

  return {
    url,
    port,
    store,
    delivery,
    events,
    app,
    async close() {
      hostEvents.close()
      await delivery.stop()
      await store.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
