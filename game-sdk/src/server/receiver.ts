import { GameSdkError, errorMessage } from '../core/errors'
import {
  REFUND_EVENT,
  parseNotification,
  type DeliveryNotification,
  type Notification,
  type ParseOptions,
  type RefundNotification,
} from '../protocol/notification'
import { sasFailureReply, sasSuccessReply, type SasReply } from '../protocol/sasReply'

/**
 * Remembers which notifications were applied (OutTradeNo for a delivery, `refund:` and the
 * WxRefundId for a refund). The default is in memory; for exactly-once grants across
 * restarts, back `has` with the same table your `deliver` writes, so the grant and the
 * record of it are one write.
 */
export interface DeliveryLedger {
  has(key: string): boolean | Promise<boolean>
  add(key: string): void | Promise<void>
}

export function createMemoryLedger(): DeliveryLedger {
  const delivered = new Set<string>()
  return { has: (key) => delivered.has(key), add: (key) => void delivered.add(key) }
}

export interface ReceiverOptions {
  /** The mini game's AppKey (console: delivery notification configuration). */
  appKey: string
  /**
   * Grants the goods of a paid order. Called once per OutTradeNo, never for duplicates or
   * test pushes. Check the notification against your own order (product, quantity, price)
   * and throw to refuse it: the host is told "not delivered" and retries on its schedule.
   */
  deliver: (notification: DeliveryNotification) => void | Promise<void>
  /**
   * Takes back what a refund returns (optional: without it, refund notifications are
   * refused). Called once per refund (WxRefundId); throw to make the host retry.
   */
  refund?: (notification: RefundNotification) => void | Promise<void>
  ledger?: DeliveryLedger
  /** Called for every refused or failed notification, with the reason: wire it to your logs. */
  onRejected?: (error: GameSdkError) => void
  /** Refuse deliveries paid further than this from now (a replay guard); see ParseOptions. */
  toleranceSeconds?: number
}

/** Headers as any framework has them: a Fetch `Headers`, or Node's header object. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>

/** What happened to one notification. */
export type ReceiveOutcome = 'applied' | 'duplicate' | 'test' | 'refused' | 'failed'

/** The answer to send the host: HTTP status and the SAS reply as JSON. */
export interface ReceiveResult {
  status: number
  body: SasReply
  outcome: ReceiveOutcome
  /** The verified notification, unless it was refused. */
  notification?: Notification
  /** Why it was refused or failed. */
  error?: GameSdkError
}

function header(headers: HeadersLike | undefined, name: string): string | undefined {
  if (!headers) return undefined
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const value = (headers as Record<string, string | string[] | undefined>)[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Verifies a notification the host POSTed, without any web framework: the raw body
 * exactly as received (string or bytes) and, when you have them, the request headers (a
 * body declared as anything but JSON is refused). Checks PayEventSig over the Payload
 * string before trusting anything in it. Throws GameSdkError `SIGNATURE_INVALID` or
 * `NOTIFICATION_MALFORMED`, with a message that says what to check.
 *
 * @example
 * // Hono, Next.js route handlers, Cloudflare Workers: anything with a Fetch Request
 * const notification = verifyNotification(await request.text(), request.headers, { appKey })
 * if (notification.event === 'minigame_game_pay_goods_deliver_notify') grant(notification.payload)
 */
export function verifyNotification(rawBody: string | Uint8Array, headers: HeadersLike | undefined, options: { appKey: string } & ParseOptions): Notification {
  const type = header(headers, 'content-type')
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `the notification was sent as "${type}": the host sends application/json`)
  }
  return parseNotification(rawBody, options.appKey, options)
}

/**
 * The receiving end of the host's notifications, framework-free: verify, apply once
 * (duplicates and concurrent retries of one notification get the same success reply
 * without a second grant), and the answer to send. createDeliveryHandler wraps it for
 * Express; wrap it the same way for any other server.
 *
 * @example
 * const receive = createNotificationReceiver({ appKey, deliver: grant, refund: takeBack })
 * // in your route, with the raw body:
 * const { status, body } = await receive(rawBody, request.headers)
 * return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
 */
export function createNotificationReceiver(options: ReceiverOptions): (rawBody: string | Uint8Array, headers?: HeadersLike) => Promise<ReceiveResult> {
  if (!options?.appKey) throw new GameSdkError('INVALID_ARGUMENT', 'a notification receiver needs { appKey }')
  if (typeof options.deliver !== 'function') throw new GameSdkError('INVALID_ARGUMENT', 'a notification receiver needs { deliver }')
  const ledger = options.ledger ?? createMemoryLedger()
  const inFlight = new Map<string, Promise<boolean>>()

  /** Runs the callback once per key, also when duplicates arrive concurrently; false for a duplicate. */
  async function once(key: string, apply: () => void | Promise<void>): Promise<boolean> {
    const running = inFlight.get(key)
    if (running) return running.then(() => false)
    const run = (async () => {
      if (await ledger.has(key)) return false
      await apply()
      await ledger.add(key)
      return true
    })()
    inFlight.set(key, run)
    try {
      return await run
    } finally {
      inFlight.delete(key)
    }
  }

  function refused(error: unknown, outcome: 'refused' | 'failed', status: number, notification?: Notification): ReceiveResult {
    const sdkError = error instanceof GameSdkError ? error : new GameSdkError('NOTIFICATION_MALFORMED', errorMessage(error), { cause: error })
    options.onRejected?.(sdkError)
    const message = outcome === 'failed' ? `delivery failed: ${errorMessage(error)}` : sdkError.message
    return { status, body: sasFailureReply(message), outcome, notification, error: sdkError }
  }

  return async (rawBody, headers) => {
    let notification: Notification
    try {
      notification = verifyNotification(rawBody, headers, options)
      if (notification.event === REFUND_EVENT && !options.refund) {
        throw new GameSdkError('NOTIFICATION_MALFORMED', 'this endpoint takes delivery notifications only: pass { refund } to take refunds')
      }
    } catch (error) {
      return refused(error, 'refused', error instanceof GameSdkError && error.code === 'SIGNATURE_INVALID' ? 401 : 400)
    }
    if (notification.event !== REFUND_EVENT && notification.payload.IsMock) {
      return { status: 200, body: sasSuccessReply(), outcome: 'test', notification }
    }
    try {
      const applied =
        notification.event === REFUND_EVENT
          ? // Refund keys are prefixed: a refund number must never collide with an OutTradeNo.
            await once(`refund:${notification.payload.WxRefundId}`, () => options.refund!(notification as RefundNotification))
          : await once(notification.payload.OutTradeNo, () => options.deliver(notification as DeliveryNotification))
      return { status: 200, body: sasSuccessReply(), outcome: applied ? 'applied' : 'duplicate', notification }
    } catch (error) {
      // Not applied: a non-success reply makes the host retry on its schedule.
      return refused(error, 'failed', 500, notification)
    }
  }
}
