import { buildDeliveryNotification, buildRefundNotification, type DeliveryPayload, type RefundPayload } from '@superapp-sim/game-sdk'
import { sasReplyProblem } from '@superapp-sim/game-sdk'
import { isoTime, type Clock } from '../clock'
import type { EventBus } from '../events/eventBus'
import { openidFor } from '../store/ids'
import {
  OrderStatus,
  type DeliveryAttempt,
  type NotificationKind,
  type Order,
  type OutboxNotification,
  type SimState,
} from '../store/model'
import { TABLES_ONLY, type Store } from '../store/store'
import { FaultBook } from './faults'
import { errorMessage } from '@superapp-sim/game-sdk'
import { PostError, postText, type TextReply } from './postText'

/** WeChat's published retry schedule (docs/protocol.md section 2): the wait before each retry. */
export const RETRY_SCHEDULE_MS = [
  15e3, 15e3, 30e3, 3 * 60e3, 10 * 60e3, 20 * 60e3, 30 * 60e3, 30 * 60e3, 30 * 60e3, 60 * 60e3, 3 * 3600e3, 3 * 3600e3,
  3 * 3600e3, 6 * 3600e3, 6 * 3600e3,
] as const

/** The host gives a receiver this long to answer before the attempt counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 3000
/** What is kept of a reply, and the most that is read of it. */
const RESPONSE_BODY_KEPT = 2000
const RESPONSE_BODY_READ_LIMIT = 64 * 1024
const REQUEST_HEADERS = { 'content-type': 'application/json', 'user-agent': 'superapp-sim-delivery/1' }

export interface DeliveryEngineOptions {
  store: Store
  clock: Clock
  log?: (message: string) => void
  events?: EventBus
  /** Divides the retry waits, for demos: 60 turns 15 s into 250 ms. Default 1. */
  timeScale?: number
  /** Per-attempt timeout in real milliseconds. Default 3000 (the host's). */
  attemptTimeoutMs?: number
}

type NotificationFields = Pick<OutboxNotification, 'orderNo' | 'outTradeNo' | 'target' | 'body'> & { refundNo?: string }

export interface RefundForNotification {
  refundNo: string
  wxRefundId: string
  refundFee: number
  startedAt: string
  succeededAt: string
}

/**
 * Sends notifications from a persisted outbox: each is created with its cause (a payment,
 * a refund, a test push), attempted at once, retried on the published schedule on the
 * injectable clock, and every attempt is recorded. Pending notifications resume after a
 * restart. Faults injected per mini game shape the next deliveries.
 */
export class DeliveryEngine {
  readonly faults = new FaultBook()
  private readonly store: Store
  private readonly clock: Clock
  private readonly log: (message: string) => void
  private readonly events?: EventBus
  private readonly timeScale: number
  private readonly attemptTimeoutMs: number
  private readonly timers = new Map<string, () => void>()
  private readonly running = new Set<Promise<void>>()
  /** Deliveries held back by an outOfOrder fault, per mini game. */
  private readonly held = new Map<string, string[]>()
  /** The fault to tag on a notification's next attempt (delay, outOfOrder). */
  private readonly pendingFault = new Map<string, 'delay' | 'outOfOrder'>()
  private stopped = false

  constructor(options: DeliveryEngineOptions) {
    this.store = options.store
    this.clock = options.clock
    this.log = options.log ?? (() => {})
    this.events = options.events
    this.timeScale = options.timeScale && options.timeScale > 0 ? options.timeScale : 1
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS
  }

  /**
   * Creates (and persists) the delivery notification of a paid order, then sends it.
   * `alsoChange` goes into the same write (the payment marking the order paid).
   */
  async enqueueDelivery(order: Order, alsoChange?: (state: SimState) => void): Promise<OutboxNotification | undefined> {
    const game = this.store.state.miniGames.find((g) => g.appId === order.appId)
    if (!game || !game.delivery.enabled) {
      if (alsoChange) await this.store.mutate(alsoChange, TABLES_ONLY)
      return undefined
    }
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
    const notification = await this.create(order.appId, 'delivery', {
      orderNo: order.orderNo,
      outTradeNo: order.outTradeNo,
      target: order.env === 1 ? 'testUrl' : 'url',
      body: buildDeliveryNotification(game.appKey, payload),
    }, (state) => {
      alsoChange?.(state)
      // In the same write as the notification: a paid order and its outbox entry move together.
      const stored = state.orders.get(order.orderNo)
      if (stored && stored.status === OrderStatus.PAID) stored.status = OrderStatus.DELIVERING
    })
    this.dispatch(notification)
    return notification
  }

  /**
   * Inside a store change: the refund notification of a completed refund, created in the
   * same write as the refund itself (so a crash cannot keep one without the other), or
   * undefined when the game has notifications off. Hand it to `send` once the change is
   * written.
   */
  addRefundNotification(state: SimState, order: Order, refund: RefundForNotification): OutboxNotification | undefined {
    const game = state.miniGames.find((g) => g.appId === order.appId)
    if (!game || !game.delivery.enabled) return undefined
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)
    const payload: RefundPayload = {
      OpenId: order.openid,
      WxOrderId: order.orderNo,
      MchOrderId: order.outTradeNo,
      WxRefundId: refund.wxRefundId,
      MchRefundId: refund.refundNo,
      RefundFee: refund.refundFee,
      RetCode: 0,
      RetMsg: 'success',
      RefundStartTimestamp: seconds(refund.startedAt),
      RefundSuccTimestamp: seconds(refund.succeededAt),
      RetryTimes: 0,
    }
    return this.addNotification(state, order.appId, 'refund', {
      orderNo: order.orderNo,
      outTradeNo: order.outTradeNo,
      refundNo: refund.refundNo,
      target: order.env === 1 ? 'testUrl' : 'url',
      body: buildRefundNotification(game.appKey, payload),
    })
  }

  /** Sends a notification made inside a store change (addRefundNotification), once that change is written. */
  send(notification: OutboxNotification | undefined): void {
    if (notification) this.track(this.attempt(notification.id))
  }

  /**
   * A test push (WeChat's mock push): fake goods, `IsMock: true`, to the Test URL (else the
   * URL), sent once whether or not notifications are enabled. Resolves with the attempt.
   */
  async sendTestPush(appId: string): Promise<DeliveryAttempt> {
    const game = this.store.state.miniGames.find((g) => g.appId === appId)
    if (!game) throw new Error(`no mini game ${appId}`)
    const outTradeNo = `MOCK${this.clock.now()}`
    const notification = await this.create(appId, 'test', {
      orderNo: '',
      outTradeNo,
      target: game.delivery.testUrl ? 'testUrl' : 'url',
      body: buildDeliveryNotification(game.appKey, {
        OpenId: openidFor(appId, 'test-push'),
        Env: '1',
        OutTradeNo: outTradeNo,
        GoodsInfo: { ProductId: 'mock_product', Quantity: 1, ZoneId: '', OrigPrice: 1, ActualPrice: 1, Attach: 'test push', OrderSource: 1 },
        IsMock: true,
      }),
    })
    return this.attempt(notification.id, { manual: true })
  }

  /** Sends a notification again now, by hand. A success delivers it; a failure leaves its schedule as it was. */
  async resend(id: string): Promise<DeliveryAttempt> {
    return this.attempt(id, { manual: true })
  }

  /** The game's server says it delivered (notify_provide_goods): stop retrying and mark the order delivered. */
  async markDelivered(orderNo: string): Promise<void> {
    for (const n of this.store.state.outbox.byIndex('order', orderNo)) {
      if (n.kind === 'delivery') this.cancelTimer(n.id)
    }
    await this.store.mutate((state) => {
      for (const n of state.outbox.byIndex('order', orderNo)) {
        if (n.kind === 'delivery' && n.state !== 'delivered') {
          n.state = 'delivered'
          n.nextAttemptAt = undefined
        }
      }
      const order = state.orders.get(orderNo)
      if (order && order.status >= OrderStatus.PAID && order.status < OrderStatus.DELIVERED) {
        order.status = OrderStatus.DELIVERED
        order.deliveredAt = isoTime(this.clock)
        order.deliveryFailed = false
      }
    }, TABLES_ONLY)
  }

  /**
   * After a crash: a paid order whose notification was never created (the process died
   * between the payment and the outbox write) gets it now. Returns how many were found.
   */
  async recover(): Promise<number> {
    const orphans = this.store.state.orders
      .byIndex('paidUndelivered', 'paid')
      .filter((order) => !this.store.state.outbox.byIndex('order', order.orderNo).some((n) => n.kind === 'delivery'))
    for (const order of orphans) await this.enqueueDelivery(order)
    return orphans.length
  }

  /** Re-arms every pending notification, e.g. after a restart. */
  resume(): void {
    for (const n of this.store.state.outbox.byIndex('pending', 'pending')) {
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

  private create(
    appId: string,
    kind: NotificationKind,
    fields: NotificationFields,
    alsoChange?: (state: SimState) => void,
  ): Promise<OutboxNotification> {
    return this.store.mutate((state) => {
      alsoChange?.(state)
      return this.addNotification(state, appId, kind, fields)
    }, TABLES_ONLY)
  }

  /** Inside a store change: a new pending notification in the outbox. */
  private addNotification(state: SimState, appId: string, kind: NotificationKind, fields: NotificationFields): OutboxNotification {
    state.counters.notification += 1
    const created: OutboxNotification = {
      id: `N${String(state.counters.notification).padStart(8, '0')}`,
      appId,
      kind,
      ...fields,
      requestHeaders: { ...REQUEST_HEADERS },
      state: 'pending',
      attempts: [],
      nextAttemptAt: isoTime(this.clock),
      createdAt: isoTime(this.clock),
    }
    state.outbox.push(created)
    return created
  }

  /** First send of a delivery, shaped by the delay and outOfOrder faults. */
  private dispatch(notification: OutboxNotification): void {
    const { appId, id } = notification
    const delay = this.faults.take(appId, 'delay')
    if (delay) {
      this.pendingFault.set(id, 'delay')
      this.schedule(id, delay.delayMs ?? 0)
      return
    }
    const outOfOrder = this.faults.take(appId, 'outOfOrder')
    if (outOfOrder) {
      const held = [...(this.held.get(appId) ?? []), id]
      this.pendingFault.set(id, 'outOfOrder')
      if (outOfOrder.remaining > 0) {
        this.held.set(appId, held)
        return
      }
      this.held.delete(appId)
      // Newest first, one after the other, so the receiver sees them in reverse order.
      this.track(held.reverse().reduce<Promise<unknown>>((previous, heldId) => previous.then(() => this.attempt(heldId)), Promise.resolve()).then(() => {}))
      return
    }
    this.track(this.attempt(id))
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => {},
      (error) => this.log(`[delivery] ${errorMessage(error, { stack: true })}`),
    )
    this.running.add(tracked)
    void tracked.finally(() => this.running.delete(tracked))
  }

  private cancelTimer(id: string): void {
    this.timers.get(id)?.()
    this.timers.delete(id)
  }

  private schedule(id: string, waitMs: number): void {
    if (this.stopped) return
    this.cancelTimer(id)
    const cancel = this.clock.setTimer(waitMs, () => {
      this.timers.delete(id)
      this.track(this.attempt(id))
    })
    this.timers.set(id, cancel)
  }

  private urlOf(notification: OutboxNotification): string {
    const game = this.store.state.miniGames.find((g) => g.appId === notification.appId)
    return game ? game.delivery[notification.target] : ''
  }

  private async attempt(id: string, { manual = false } = {}): Promise<DeliveryAttempt> {
    const notification = this.store.state.outbox.get(id)
    if (!notification) throw new Error(`no notification ${id}`)
    if (this.stopped || (!manual && notification.state !== 'pending')) return notification.attempts.at(-1)!
    const url = this.urlOf(notification)
    const attempts: DeliveryAttempt[] = []
    const first = await postNotification(this.clock, url, notification.body, this.attemptTimeoutMs)
    const tagged = this.pendingFault.get(id)
    this.pendingFault.delete(id)
    if (manual) first.manual = true
    else if (tagged) first.fault = tagged
    if (!manual && first.outcome === 'success' && notification.kind !== 'test' && this.faults.take(notification.appId, 'ignoreReply')) {
      first.outcome = 'failure'
      first.fault = 'ignoreReply'
      first.error = 'the reply was ignored (fault injection: ignoreReply), so the host will retry'
    }
    attempts.push(first)
    if (!manual && notification.kind === 'delivery' && notification.attempts.length === 0 && this.faults.take(notification.appId, 'duplicate')) {
      const duplicate = await postNotification(this.clock, url, notification.body, this.attemptTimeoutMs)
      duplicate.fault = 'duplicate'
      attempts.push(duplicate)
    }
    if (this.stopped) return first

    const succeeded = attempts.some((a) => a.outcome === 'success')
    const scheduledSoFar = notification.attempts.filter((a) => !a.manual && a.fault !== 'duplicate').length
    const nextWait = succeeded || manual || notification.kind === 'test' ? undefined : RETRY_SCHEDULE_MS[scheduledSoFar]
    const scaledWait = nextWait === undefined ? undefined : nextWait / this.timeScale
    const nextAttemptAt = scaledWait === undefined ? undefined : new Date(this.clock.now() + scaledWait).toISOString()
    await this.store.mutate((state) => {
      // A patch: the journal gets these attempts and the new schedule, not the notification
      // again with every earlier attempt (its body alone is most of a kilobyte).
      const schedule: Partial<OutboxNotification> = succeeded
        ? { state: 'delivered', nextAttemptAt: undefined }
        : manual // A failed resend changes nothing: pending stays on its schedule, failed stays failed.
          ? {}
          : scaledWait === undefined
            ? { state: 'failed', nextAttemptAt: undefined }
            : { nextAttemptAt }
      const stored = state.outbox.patch(id, { set: schedule, append: { attempts } })
      const gaveUp = !succeeded && !manual && scaledWait === undefined
      if (!stored || stored.kind !== 'delivery' || !(succeeded || gaveUp)) return
      // Only when the outcome changes the order is the order looked up (and so written).
      const order = state.orders.get(stored.orderNo)
      if (!order) return
      if (gaveUp) order.deliveryFailed = true
      else if (order.status < OrderStatus.DELIVERED) {
        order.status = OrderStatus.DELIVERED
        order.deliveredAt = first.at
        order.deliveryFailed = false
      }
    }, TABLES_ONLY)
    if (succeeded) this.cancelTimer(id)
    for (const attempt of attempts) {
      this.events?.emit({
        type: 'delivery.attempt',
        notificationId: id,
        kind: notification.kind,
        appId: notification.appId,
        orderNo: notification.orderNo,
        outTradeNo: notification.outTradeNo,
        url,
        outcome: attempt.outcome,
        status: attempt.status,
        latencyMs: attempt.latencyMs,
        error: attempt.error,
        responseBody: attempt.responseBody,
        nextAttemptAt,
      })
      this.log(
        `[delivery] ${notification.kind} ${notification.outTradeNo} -> ${url}: ${attempt.outcome}${attempt.status ? ` (HTTP ${attempt.status})` : ''}${attempt.error ? ` ${attempt.error}` : ''}${attempt.resentAfter ? ` (sent again on a new connection after the kept-alive one failed: ${attempt.resentAfter})` : ''}`,
      )
    }
    if (scaledWait !== undefined && !manual) this.schedule(id, scaledWait)
    return first
  }
}

/**
 * One attempt: POSTs a notification body and judges the reply (success only on the SAS
 * success reply within the timeout). Never throws; the outcome is in the attempt. A
 * redirect is not followed, and at most 64 KiB of a reply is read.
 */
export async function postNotification(clock: Clock, url: string, body: string, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<DeliveryAttempt> {
  const at = isoTime(clock)
  const started = performance.now()
  const latency = () => Math.round(performance.now() - started)
  if (!url) return { at, url, latencyMs: 0, outcome: 'failure', error: 'no delivery URL configured' }
  let reply: TextReply
  try {
    reply = await postText(url, body, { headers: REQUEST_HEADERS, timeoutMs, readLimit: RESPONSE_BODY_READ_LIMIT, keepBytes: RESPONSE_BODY_KEPT })
  } catch (error) {
    const failed = error instanceof PostError ? error : new PostError(errorMessage(error), false)
    const why = failed.timedOut ? failed.reason : failed.replied ? `the reply was cut off (${failed.reason})` : `cannot reach ${url}: ${failed.reason}`
    return { at, url, latencyMs: latency(), outcome: 'failure', error: why, ...(failed.resentAfter && { resentAfter: failed.resentAfter }) }
  }
  const base = {
    at,
    url,
    status: reply.status,
    responseBody: reply.text.slice(0, RESPONSE_BODY_KEPT),
    latencyMs: latency(),
    ...(reply.resentAfter && { resentAfter: reply.resentAfter }),
  }
  if (reply.status >= 300 && reply.status < 400) {
    return { ...base, outcome: 'failure', error: `redirect to ${reply.location ?? '(no location)'} not followed: configure the final URL` }
  }
  if (reply.status < 200 || reply.status >= 300) return { ...base, outcome: 'failure', error: `HTTP ${reply.status}` }
  if (reply.truncated) return { ...base, outcome: 'failure', error: `the reply is larger than ${RESPONSE_BODY_READ_LIMIT} bytes, not a SAS reply` }
  let parsed: unknown
  try {
    parsed = JSON.parse(reply.text)
  } catch {
    parsed = undefined
  }
  const problem = sasReplyProblem(parsed)
  if (problem) return { ...base, outcome: 'failure', error: `not the SAS success reply {"returnCode":"0","data":"ok","requestId":…}: ${problem}` }
  return { ...base, outcome: 'success' }
}
