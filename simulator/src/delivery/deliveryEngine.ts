import { buildDeliveryNotification, type DeliveryPayload } from '../../../game-sdk/src/server/notification'
import { isSasSuccessReply } from '../../../game-sdk/src/server/sasReply'
import { isoTime, type Clock } from '../clock'
import type { EventBus } from '../events/eventBus'
import { OrderStatus, type DeliveryAttempt, type Order, type OutboxNotification } from '../store/model'
import type { Store } from '../store/store'

/** WeChat's published retry schedule (PROTOCOL.md section 2): the wait before each retry. */
export const RETRY_SCHEDULE_MS = [
  15e3, 15e3, 30e3, 3 * 60e3, 10 * 60e3, 20 * 60e3, 30 * 60e3, 30 * 60e3, 30 * 60e3, 60 * 60e3, 3 * 3600e3, 3 * 3600e3,
  3 * 3600e3, 6 * 3600e3, 6 * 3600e3,
] as const

/** The host gives a receiver this long to answer before the attempt counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 3000
const RESPONSE_BODY_KEPT = 2000

export interface DeliveryEngineOptions {
  store: Store
  clock: Clock
  fetch?: typeof fetch
  log?: (message: string) => void
  events?: EventBus
}

/**
 * Sends delivery notifications from a persisted outbox: each is created with the order's
 * payment, attempted at once, retried on the published schedule on the injectable clock,
 * and every attempt is recorded. Pending notifications resume after a restart.
 */
export class DeliveryEngine {
  private readonly store: Store
  private readonly clock: Clock
  private readonly fetch: typeof fetch
  private readonly log: (message: string) => void
  private readonly events?: EventBus
  private readonly timers = new Map<string, () => void>()
  private readonly running = new Set<Promise<void>>()
  private stopped = false

  constructor(options: DeliveryEngineOptions) {
    this.store = options.store
    this.clock = options.clock
    this.fetch = options.fetch ?? fetch
    this.log = options.log ?? (() => {})
    this.events = options.events
  }

  /** Creates (and persists) the delivery notification of a paid order, then sends it. */
  async enqueueDelivery(order: Order): Promise<OutboxNotification | undefined> {
    const game = this.store.state.miniGames.find((g) => g.appId === order.appId)
    if (!game || !game.delivery.enabled) return undefined
    const payload: DeliveryPayload = {
      OpenId: order.openid,
      Env: order.env === 1 ? '1' : '0',
      OutTradeNo: order.outTradeNo,
      GoodsInfo: {
        ProductId: order.productId,
        Quantity: order.quantity,
        ZoneId: order.zoneId,
        OrigPrice: order.totalPrice,
        ActualPrice: order.totalPrice,
        Attach: order.attach,
        OrderSource: 1,
      },
      WeChatPayInfo: {
        MchOrderNo: order.orderNo,
        TransactionId: `T${order.orderNo}`,
        PaidTime: Math.floor(Date.parse(order.paidAt ?? isoTime(this.clock)) / 1000),
      },
    }
    const notification = await this.store.mutate((state) => {
      state.counters.notification += 1
      const created: OutboxNotification = {
        id: `N${String(state.counters.notification).padStart(8, '0')}`,
        appId: order.appId,
        kind: 'delivery',
        orderNo: order.orderNo,
        outTradeNo: order.outTradeNo,
        target: order.env === 1 ? 'testUrl' : 'url',
        body: buildDeliveryNotification(game.appKey, payload),
        state: 'pending',
        attempts: [],
        nextAttemptAt: isoTime(this.clock),
        createdAt: isoTime(this.clock),
      }
      state.outbox.push(created)
      const stored = state.orders.find((o) => o.orderNo === order.orderNo)
      if (stored && stored.status === OrderStatus.PAID) stored.status = OrderStatus.DELIVERING
      return created
    })
    this.track(this.attempt(notification.id))
    return notification
  }

  /** Re-arms every pending notification, e.g. after a restart. */
  resume(): void {
    for (const n of this.store.state.outbox) {
      if (n.state !== 'pending') continue
      const wait = Math.max(0, Date.parse(n.nextAttemptAt ?? n.createdAt) - this.clock.now())
      this.schedule(n.id, wait)
    }
  }

  /** Stops timers and waits for attempts in flight, so the store is not written after close. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const cancel of this.timers.values()) cancel()
    this.timers.clear()
    await Promise.allSettled([...this.running])
  }

  /** Resolves when no attempt is in flight (tests and QA use it after driving the clock). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running])
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error) => this.log(`[delivery] ${error instanceof Error ? error.stack : error}`))
    this.running.add(tracked)
    void tracked.finally(() => this.running.delete(tracked))
  }

  private schedule(id: string, waitMs: number): void {
    if (this.stopped) return
    this.timers.get(id)?.()
    const cancel = this.clock.setTimer(waitMs, () => {
      this.timers.delete(id)
      this.track(this.attempt(id))
    })
    this.timers.set(id, cancel)
  }

  private async attempt(id: string): Promise<void> {
    if (this.stopped) return
    const notification = this.store.state.outbox.find((n) => n.id === id)
    if (!notification || notification.state !== 'pending') return
    const game = this.store.state.miniGames.find((g) => g.appId === notification.appId)
    const url = game ? game.delivery[notification.target] : ''
    const attempt = await postNotification(this.fetch, this.clock, url, notification.body)
    if (this.stopped) return

    const retriesUsed = notification.attempts.length
    const nextWait = attempt.outcome === 'failure' ? RETRY_SCHEDULE_MS[retriesUsed] : undefined
    const nextAttemptAt = nextWait === undefined ? undefined : new Date(this.clock.now() + nextWait).toISOString()
    await this.store.mutate((state) => {
      const stored = state.outbox.find((n) => n.id === id)
      if (!stored) return
      stored.attempts.push(attempt)
      const order = state.orders.find((o) => o.orderNo === stored.orderNo)
      if (attempt.outcome === 'success') {
        stored.state = 'delivered'
        stored.nextAttemptAt = undefined
        if (order && order.status < OrderStatus.DELIVERED) {
          order.status = OrderStatus.DELIVERED
          order.deliveredAt = attempt.at
          order.deliveryFailed = false
        }
      } else if (nextWait === undefined) {
        stored.state = 'failed'
        stored.nextAttemptAt = undefined
        if (order) order.deliveryFailed = true
      } else {
        stored.nextAttemptAt = nextAttemptAt
      }
    })
    this.events?.emit({
      type: 'delivery.attempt',
      appId: notification.appId,
      orderNo: notification.orderNo,
      outTradeNo: notification.outTradeNo,
      url,
      outcome: attempt.outcome,
      status: attempt.status,
      latencyMs: attempt.latencyMs,
      error: attempt.error,
      nextAttemptAt,
    })
    this.log(`[delivery] ${notification.outTradeNo} -> ${url}: ${attempt.outcome}${attempt.status ? ` (HTTP ${attempt.status})` : ''}${attempt.error ? ` ${attempt.error}` : ''}`)
    if (nextWait !== undefined) this.schedule(id, nextWait)
  }
}

/**
 * One attempt: POSTs a notification body and judges the reply (success only on the SAS
 * success reply within ATTEMPT_TIMEOUT_MS). Never throws; the outcome is in the attempt.
 */
export async function postNotification(doFetch: typeof fetch, clock: Clock, url: string, body: string): Promise<DeliveryAttempt> {
  const at = isoTime(clock)
  const started = performance.now()
  const latency = () => Math.round(performance.now() - started)
  if (!url) return { at, url, latencyMs: 0, outcome: 'failure', error: 'no delivery URL configured' }
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      redirect: 'manual',
    })
    const text = await response.text()
    let reply: unknown
    try {
      reply = JSON.parse(text)
    } catch {
      reply = undefined
    }
    const ok = response.ok && isSasSuccessReply(reply)
    return {
      at,
      url,
      status: response.status,
      responseBody: text.slice(0, RESPONSE_BODY_KEPT),
      latencyMs: latency(),
      outcome: ok ? 'success' : 'failure',
      error: ok ? undefined : response.ok ? 'the reply is not the SAS success reply {"returnCode":"0",…,"data":"ok"}' : undefined,
    }
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return {
      at,
      url,
      latencyMs: latency(),
      outcome: 'failure',
      error: timedOut ? `no answer within ${ATTEMPT_TIMEOUT_MS} ms` : `cannot reach ${url}: ${describeNetworkError(error)}`,
    }
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return cause?.code ?? cause?.message ?? error.message
  }
  return String(error)
}
