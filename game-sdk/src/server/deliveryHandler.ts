import express, { type RequestHandler, type Router } from 'express'
import { GameSdkError } from '../core/errors'
import { parseNotification, type DeliveryNotification, type Notification, type RefundNotification } from './notification'
import { sasFailureReply, sasSuccessReply } from './sasReply'

/**
 * Remembers which OutTradeNos were delivered. The default is in memory; for exactly-once
 * grants across restarts, back `has` with the same table your `deliver` writes, so the
 * grant and the record of it are one write.
 */
export interface DeliveryLedger {
  has(outTradeNo: string): boolean | Promise<boolean>
  add(outTradeNo: string): void | Promise<void>
}

export function createMemoryLedger(): DeliveryLedger {
  const delivered = new Set<string>()
  return { has: (id) => delivered.has(id), add: (id) => void delivered.add(id) }
}

export interface DeliveryHandlerOptions {
  /** The mini game's AppKey (console: delivery notification configuration). */
  appKey: string
  /** Grants the goods. Throw to make the host retry later. Not called for duplicates or test pushes. */
  deliver: (notification: DeliveryNotification) => void | Promise<void>
  /**
   * Takes back what a refund returns (optional: without it, refund notifications are
   * refused). Called once per refund (WxRefundId); throw to make the host retry.
   */
  refund?: (notification: RefundNotification) => void | Promise<void>
  ledger?: DeliveryLedger
  /** Called for every refused request, with the reason: wire it to your logs. */
  onRejected?: (error: GameSdkError) => void
  /** Largest body accepted. */
  limit?: string
}

/**
 * An Express router for the delivery notification URL: reads the raw body, verifies
 * PayEventSig, grants once per OutTradeNo (duplicates and concurrent retries get the same
 * success reply without a second grant), takes back once per refund when given `refund`,
 * and answers the SAS reply.
 *
 * `deliver` should grant what your server signed for, not what the notification says:
 * look up your own order by OutTradeNo and throw when the player, product, quantity or
 * amount paid differs (the host then keeps the order undelivered and retries).
 *
 * @example
 * app.post('/delivery', createDeliveryHandler({ appKey, deliver: ({ payload }) => {
 *   const order = orders.get(payload.OutTradeNo)
 *   const goods = payload.GoodsInfo
 *   if (!order || payload.OpenId !== order.openid || goods.ProductId !== order.productId
 *       || goods.Quantity !== order.quantity || goods.ActualPrice !== order.unitPrice * order.quantity) {
 *     throw new Error(`${payload.OutTradeNo} does not match the order this server signed`)
 *   }
 *   grant(order)
 * } }))
 */
export function createDeliveryHandler(options: DeliveryHandlerOptions): Router {
  if (!options?.appKey) throw new GameSdkError('INVALID_ARGUMENT', 'createDeliveryHandler needs { appKey }')
  if (typeof options.deliver !== 'function') throw new GameSdkError('INVALID_ARGUMENT', 'createDeliveryHandler needs { deliver }')
  const ledger = options.ledger ?? createMemoryLedger()
  const inFlight = new Map<string, Promise<void>>()

  /** Runs the callback once per notification key, also when duplicates arrive concurrently. */
  async function once(key: string, apply: () => void | Promise<void>): Promise<void> {
    const running = inFlight.get(key)
    if (running) return running
    const run = (async () => {
      if (await ledger.has(key)) return
      await apply()
      await ledger.add(key)
    })()
    inFlight.set(key, run)
    try {
      await run
    } finally {
      inFlight.delete(key)
    }
  }

  /** Refunds reach here only when `refund` was given (checked on arrival). */
  function apply(notification: Notification): Promise<void> {
    if (notification.event === 'xpay_refund_notify') {
      // Refund keys are prefixed: a refund number must never collide with an OutTradeNo.
      return once(`refund:${notification.payload.WxRefundId}`, () => options.refund!(notification))
    }
    return once(notification.payload.OutTradeNo, () => options.deliver(notification))
  }

  const handle: RequestHandler = async (req, res) => {
    let notification: Notification
    try {
      notification = parseNotification(Buffer.isBuffer(req.body) ? req.body : '', options.appKey)
      if (notification.event === 'xpay_refund_notify' && !options.refund) {
        throw new GameSdkError('NOTIFICATION_MALFORMED', 'this endpoint takes delivery notifications only: pass { refund } to createDeliveryHandler to take refunds')
      }
    } catch (error) {
      const sdkError =
        error instanceof GameSdkError ? error : new GameSdkError('NOTIFICATION_MALFORMED', String(error), { cause: error })
      options.onRejected?.(sdkError)
      res.status(sdkError.code === 'SIGNATURE_INVALID' ? 401 : 400).json(sasFailureReply(sdkError.message))
      return
    }
    if (notification.event !== 'xpay_refund_notify' && notification.payload.IsMock) {
      res.json(sasSuccessReply())
      return
    }
    try {
      await apply(notification)
    } catch (error) {
      // Not delivered: a non-success reply makes the host retry on its schedule.
      res.status(500).json(sasFailureReply(`delivery failed: ${error instanceof Error ? error.message : String(error)}`))
      return
    }
    res.json(sasSuccessReply())
  }

  const router = express.Router()
  router.use(express.raw({ type: () => true, limit: options.limit ?? '64kb' }))
  router.use(handle)
  return router
}
