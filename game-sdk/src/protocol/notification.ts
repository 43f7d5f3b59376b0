import { z } from 'zod'
import { GameSdkError } from '../core/errors'
import { signaturesEqual, signPayEventSig } from './signatures'

export const DELIVERY_EVENT = 'minigame_game_pay_goods_deliver_notify'

/** The envelope the host POSTs (SAS page 69511). `Payload` is a JSON string; the signature covers it byte for byte. */
export const notificationEnvelopeSchema = z.object({
  EventType: z.literal('event'),
  Event: z.string().min(1),
  PayModel: z.string().optional(),
  Payload: z.string().min(2),
  PayEventSig: z.string().min(1),
})
export type NotificationEnvelope = z.infer<typeof notificationEnvelopeSchema>

export const deliveryPayloadSchema = z.looseObject({
  OpenId: z.string().min(1),
  Env: z.enum(['0', '1']),
  OutTradeNo: z.string().min(1),
  GoodsInfo: z.looseObject({
    ProductId: z.string().min(1),
    Quantity: z.number().int().positive(),
    ZoneId: z.string(),
    OrigPrice: z.number().int().nonnegative(),
    ActualPrice: z.number().int().nonnegative(),
    Attach: z.string(),
    OrderSource: z.number().int(),
  }),
  WeChatPayInfo: z
    .looseObject({ MchOrderNo: z.string(), TransactionId: z.string(), PaidTime: z.number().int() })
    .optional(),
  /** A test push (WeChat's mock push): fake goods to check an endpoint; grant nothing. */
  IsMock: z.boolean().optional(),
})
export type DeliveryPayload = z.infer<typeof deliveryPayloadSchema>

export interface DeliveryNotification {
  event: typeof DELIVERY_EVENT
  payModel?: string
  payload: DeliveryPayload
  /** The Payload string exactly as received. */
  rawPayload: string
}

/**
 * Builds a signed delivery notification body, as the host sends it. The simulator uses it,
 * and tests of a game server can use it to make valid (or deliberately broken) requests.
 *
 * @example
 * const body = buildDeliveryNotification(appKey, { OpenId, Env: '0', OutTradeNo, GoodsInfo })
 * await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
 */
export function buildDeliveryNotification(appKey: string, payload: DeliveryPayload, payModel = 'goods'): string {
  return buildEnvelope(appKey, DELIVERY_EVENT, payload, payModel)
}

export const REFUND_EVENT = 'xpay_refund_notify'

/**
 * Refund notification Payload. SAS documents none: a simulator convention modelled on
 * WeChat's xpay_refund_notify, sent in the delivery envelope and signed the same way.
 */
export const refundPayloadSchema = z.looseObject({
  OpenId: z.string().min(1),
  /** The host's order number. */
  WxOrderId: z.string().min(1),
  /** The game's OutTradeNo. */
  MchOrderId: z.string().min(1),
  WxRefundId: z.string().min(1),
  /** The refund number the game chose (refund_order) or the host assigned (a player's request). */
  MchRefundId: z.string().min(1),
  RefundFee: z.number().int().positive(),
  /** 0 when the refund succeeded. */
  RetCode: z.number().int(),
  RetMsg: z.string(),
  RefundStartTimestamp: z.number().int(),
  RefundSuccTimestamp: z.number().int(),
  RetryTimes: z.number().int().nonnegative(),
})
export type RefundPayload = z.infer<typeof refundPayloadSchema>

export interface RefundNotification {
  event: typeof REFUND_EVENT
  payModel?: string
  payload: RefundPayload
  rawPayload: string
}

export type Notification = DeliveryNotification | RefundNotification

function buildEnvelope(appKey: string, event: string, payload: object, payModel?: string): string {
  const rawPayload = JSON.stringify(payload)
  const envelope: NotificationEnvelope = {
    EventType: 'event',
    Event: event,
    ...(payModel === undefined ? {} : { PayModel: payModel }),
    Payload: rawPayload,
    PayEventSig: signPayEventSig(appKey, event, rawPayload),
  }
  return JSON.stringify(envelope)
}

/** Builds a signed refund notification body, as the host sends it. */
export function buildRefundNotification(appKey: string, payload: RefundPayload, payModel = 'goods'): string {
  return buildEnvelope(appKey, REFUND_EVENT, payload, payModel)
}

export interface ParseOptions {
  /**
   * Refuse a delivery whose WeChatPayInfo.PaidTime is further than this from `now` (a
   * replay guard). Off by default: the host retries the same signed body for up to a day
   * and a half, so a tolerance must cover the whole retry schedule.
   */
  toleranceSeconds?: number
  /** Current time in ms for the tolerance check; default Date.now(). */
  now?: number
}

/**
 * Verifies PayEventSig over the raw Payload string and parses a delivery or refund
 * notification. Throws GameSdkError `NOTIFICATION_MALFORMED` or `SIGNATURE_INVALID`.
 */
export function parseNotification(rawBody: string | Uint8Array, appKey: string, options: ParseOptions = {}): Notification {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new GameSdkError(
      'NOTIFICATION_MALFORMED',
      'expected the raw request body (string or Buffer). Are you passing a body that express.json() already parsed? Mount express.raw() for this route, or use createDeliveryHandler().',
    )
  }
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', 'the notification body is not JSON', { cause })
  }
  const envelope = notificationEnvelopeSchema.safeParse(json)
  if (!envelope.success) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `the notification envelope is invalid: ${z.prettifyError(envelope.error)}`)
  }
  const { Event, Payload, PayEventSig, PayModel } = envelope.data
  if (Event !== DELIVERY_EVENT && Event !== REFUND_EVENT) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `unexpected Event "${Event}", expected "${DELIVERY_EVENT}" or "${REFUND_EVENT}"`)
  }
  // Verify before parsing the payload: nothing unsigned is trusted, not even its shape.
  if (!signaturesEqual(signPayEventSig(appKey, Event, Payload), PayEventSig)) {
    throw new GameSdkError(
      'SIGNATURE_INVALID',
      'PayEventSig does not match. Check the AppKey (console: delivery notification configuration) and that the Payload string is used exactly as received.',
    )
  }
  let payloadJson: unknown
  try {
    payloadJson = JSON.parse(Payload)
  } catch (cause) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', 'Payload is not a JSON string', { cause })
  }
  if (Event === REFUND_EVENT) {
    const payload = refundPayloadSchema.safeParse(payloadJson)
    if (!payload.success) throw new GameSdkError('NOTIFICATION_MALFORMED', `the refund Payload is invalid: ${z.prettifyError(payload.error)}`)
    return { event: REFUND_EVENT, payModel: PayModel, payload: payload.data, rawPayload: Payload }
  }
  const payload = deliveryPayloadSchema.safeParse(payloadJson)
  if (!payload.success) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `the delivery Payload is invalid: ${z.prettifyError(payload.error)}`)
  }
  const paidTime = payload.data.WeChatPayInfo?.PaidTime
  if (options.toleranceSeconds !== undefined && paidTime !== undefined) {
    const skew = Math.abs((options.now ?? Date.now()) / 1000 - paidTime)
    if (skew > options.toleranceSeconds) {
      throw new GameSdkError('SIGNATURE_INVALID', `the notification was paid ${Math.round(skew)} s from now, outside the ${options.toleranceSeconds} s tolerance: a replay?`)
    }
  }
  return { event: DELIVERY_EVENT, payModel: PayModel, payload: payload.data, rawPayload: Payload }
}

/** Like parseNotification, for a URL that takes delivery notifications only. */
export function parseDeliveryNotification(rawBody: string | Uint8Array, appKey: string, options?: ParseOptions): DeliveryNotification {
  const notification = parseNotification(rawBody, appKey, options)
  if (notification.event !== DELIVERY_EVENT) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `unexpected Event "${notification.event}", expected "${DELIVERY_EVENT}"`)
  }
  return notification
}
