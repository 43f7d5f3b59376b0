import type { WebSocket } from 'ws'
import type { SandboxClock } from '../clock'
import type { ImageStore } from '../catalog/images'
import { DeliveryEngine } from '../delivery/deliveryEngine'
import { EventBus } from '../events/eventBus'
import { LoginService } from '../login/login'
import { PaymentService } from '../payments/paymentService'
import { RefundService } from '../refunds/refundService'
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
  /** The request relay's fetch (tests inject one); notifications go over node:http (delivery/postText.ts). */
  fetch?: typeof fetch
  timeScale?: number
  attemptTimeoutMs?: number
}

/** WebSocket close code when a sandbox is reset under a client (4000-4999: application codes). */
export const CLOSE_SANDBOX_RESET = 4001

/**
 * One sandbox's simulator: its store, clock, events, delivery engine, payment and refund
 * services. Its routes are mounted by sandbox/coreRoutes.ts; the HTTP server in app.ts picks a
 * core per request.
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
  /** Every WebSocket client bound to this core: closed when it stops. */
  readonly sockets = new Set<WebSocket>()
  /** The fetch the request relay calls out with (undefined: the global one). */
  readonly fetch?: typeof fetch
  private stopping?: Promise<void>

  constructor(options: CoreOptions) {
    this.name = options.name
    this.fixture = options.fixture
    this.generation = options.generation
    this.store = options.store
    this.clock = options.clock
    this.images = options.images
    this.fetch = options.fetch
    this.events = new EventBus(() => this.clock.now(), options.firstEventSeq)
    this.delivery = new DeliveryEngine({
      store: this.store,
      clock: this.clock,
      log: options.log,
      events: this.events,
      timeScale: options.timeScale,
      attemptTimeoutMs: options.attemptTimeoutMs,
    })
    this.payments = new PaymentService(this.store, this.clock, this.delivery, this.events)
    this.refunds = new RefundService(this.store, this.clock, this.delivery, this.events)
    this.logins = new LoginService(this.store, this.clock)
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
