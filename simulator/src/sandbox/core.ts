import { Router } from 'express'
import type { WebSocket } from 'ws'
import type { SandboxClock } from '../clock'
import type { ImageStore } from '../catalog/images'
import { mediaRoutes } from '../catalog/mediaRoutes'
import { CONSOLE_API_BASE, consoleApi } from '../console/consoleApi'
import { controlRoutes } from '../control/controlRoutes'
import { DeliveryEngine } from '../delivery/deliveryEngine'
import { EventBus } from '../events/eventBus'
import { hostApiRoutes } from '../host/hostRoutes'
import { requestRelayRoutes } from '../host/requestRelay'
import { LoginService } from '../login/login'
import { loginRoutes } from '../login/loginRoutes'
import { PaymentService } from '../payments/paymentService'
import { RefundService } from '../refunds/refundService'
import { xpayRoutes } from '../serverApi/xpayRoutes'
import type { Store } from '../store/store'

export interface CoreOptions {
  name: string
  fixture: string
  generation: number
  store: Store
  clock: SandboxClock
  images: ImageStore
  /** The first event number: a reset sandbox continues its predecessor's numbering. */
  firstEventSeq?: number
  log: (message: string) => void
  fetch?: typeof fetch
  timeScale?: number
  attemptTimeoutMs?: number
}

/** WebSocket close code when a sandbox is reset under a client (4000-4999: application codes). */
export const CLOSE_SANDBOX_RESET = 4001

/**
 * One sandbox's simulator: its store, clock, events, delivery engine, payment and refund
 * services, and the routes over them. The HTTP server in app.ts picks a core per request.
 */
export class SimulatorCore {
  readonly name: string
  readonly fixture: string
  readonly generation: number
  readonly store: Store
  readonly clock: SandboxClock
  readonly images: ImageStore
  readonly events: EventBus
  readonly delivery: DeliveryEngine
  readonly payments: PaymentService
  readonly refunds: RefundService
  /** wx.login codes: in memory, per sandbox (a reset or a restart forgets them). */
  readonly logins: LoginService
  readonly router: Router
  /** Every WebSocket client bound to this core: closed when it stops. */
  readonly sockets = new Set<WebSocket>()
  private stopping?: Promise<void>

  constructor(options: CoreOptions) {
    this.name = options.name
    this.fixture = options.fixture
    this.generation = options.generation
    this.store = options.store
    this.clock = options.clock
    this.images = options.images
    this.events = new EventBus(() => this.clock.now(), options.firstEventSeq)
    this.delivery = new DeliveryEngine({
      store: this.store,
      clock: this.clock,
      fetch: options.fetch,
      log: options.log,
      events: this.events,
      timeScale: options.timeScale,
      attemptTimeoutMs: options.attemptTimeoutMs,
    })
    this.payments = new PaymentService(this.store, this.clock, this.delivery, this.events)
    this.refunds = new RefundService(this.store, this.clock, this.delivery, this.events)
    this.logins = new LoginService(this.store, this.clock)

    const router = Router()
    router.use(loginRoutes(this.logins))
    router.use(xpayRoutes(this.store, this.clock, this.delivery, this.refunds))
    // Before hostApiRoutes: the relay takes larger bodies than the host API's 32 kB.
    router.use('/host/api', requestRelayRoutes(this.store, options.fetch))
    router.use('/host/api', hostApiRoutes(this.store, this.logins, this.payments, this.refunds))
    router.use(CONSOLE_API_BASE, consoleApi(this.store, this.clock, this.delivery, this.images, this.refunds))
    router.use('/_sim', controlRoutes(this))
    router.use(mediaRoutes(this.images))
    this.router = router
  }

  /** Starts the background work: closes sheets a crash left open, resumes and recovers deliveries. */
  async start(): Promise<number> {
    await this.payments.closeAbandonedSheets()
    this.delivery.resume()
    return this.delivery.recover()
  }

  /**
   * Stops everything that could still write or call out: waiting sheets fail, timers are
   * dropped, attempts in flight finish, sockets close with `closeCode`.
   */
  stop(closeCode = 1001, reason = 'simulator stopping'): Promise<void> {
    this.stopping ??= (async () => {
      this.payments.stop()
      this.clock.stop()
      // Closed with a code and reason the client reads ("sandbox reset"), and given a
      // moment for the closing handshake before the server may terminate what is left.
      const closed = [...this.sockets].map((socket) => new Promise<void>((resolve) => {
        socket.once('close', () => resolve())
        socket.close(closeCode, reason)
      }))
      await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 500).unref())])
      await this.delivery.stop()
    })()
    return this.stopping
  }

  /** True once stop() began: the sandbox was reset, deleted or the simulator is stopping. */
  get stopped(): boolean {
    return this.stopping !== undefined
  }

  describe() {
    return {
      sandbox: this.name,
      fixture: this.fixture,
      generation: this.generation,
      clock: { now: new Date(this.clock.now()).toISOString(), frozen: this.clock.frozen },
    }
  }
}
