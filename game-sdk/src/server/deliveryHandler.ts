import type { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import { GameSdkError, errorMessage } from '../core/errors'
import { sasFailureReply } from '../protocol/sasReply'
import { createNotificationReceiver, type ReceiverOptions } from './receiver'

export interface DeliveryHandlerOptions extends ReceiverOptions {
  /** Largest body accepted, in bytes. Default 64 KiB (a notification is about 1 KiB). */
  limitBytes?: number
}

/** Reads the raw body: the Buffer express.raw() left, or the request stream itself. */
async function rawBodyOf(req: IncomingMessage & { body?: unknown }, limitBytes: number): Promise<Uint8Array> {
  if (req.body instanceof Uint8Array) return req.body
  if (req.body !== undefined && typeof req.body === 'object' && Object.keys(req.body as object).length > 0) {
    throw new GameSdkError(
      'NOTIFICATION_MALFORMED',
      'the body was already parsed (express.json() runs before this route?): the signature covers the raw bytes. Mount createDeliveryHandler before any JSON parser for this path.',
    )
  }
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Uint8Array).length
    if (size > limitBytes) throw new GameSdkError('NOTIFICATION_MALFORMED', `the body is larger than ${limitBytes} bytes`)
    chunks.push(chunk as Uint8Array)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.length
  }
  return body
}

/**
 * An Express route handler for the delivery notification URL, over
 * createNotificationReceiver: reads the raw body, verifies PayEventSig, grants once per
 * OutTradeNo, takes back once per refund when given `refund`, and answers the SAS reply.
 * Express is an optional peer: this module only uses its types.
 *
 * What `deliver` receives: `{ event, payload: { OpenId, Env, OutTradeNo, GoodsInfo:
 * { ProductId, Quantity, ZoneId, OrigPrice, ActualPrice, Attach, OrderSource },
 * WeChatPayInfo? }, rawPayload }`. Throw from it to refuse (the host retries).
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
export function createDeliveryHandler(options: DeliveryHandlerOptions): RequestHandler {
  const receive = createNotificationReceiver(options)
  const limitBytes = options.limitBytes ?? 64 * 1024
  return async (req, res) => {
    let rawBody: Uint8Array
    try {
      rawBody = await rawBodyOf(req, limitBytes)
    } catch (error) {
      const refusal = error instanceof GameSdkError ? error : new GameSdkError('NOTIFICATION_MALFORMED', errorMessage(error), { cause: error })
      options.onRejected?.(refusal)
      res.status(400).json(sasFailureReply(refusal.message))
      return
    }
    const { status, body } = await receive(rawBody, req.headers)
    res.status(status).json(body)
  }
}
