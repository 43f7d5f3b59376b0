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
  const rawPayload = JSON.stringify(payload)
  const envelope: NotificationEnvelope = {
    EventType: 'event',
    Event: DELIVERY_EVENT,
    PayModel: payModel,
    Payload: rawPayload,
    PayEventSig: signPayEventSig(appKey, DELIVERY_EVENT, rawPayload),
  }
  return JSON.stringify(envelope)
}

/**
 * Verifies PayEventSig over the raw Payload string and parses a delivery notification.
 * Throws GameSdkError `NOTIFICATION_MALFORMED` or `SIGNATURE_INVALID`.
 */
export function parseDeliveryNotification(rawBody: string | Uint8Array, appKey: string): DeliveryNotification {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new GameSdkError(
      'NOTIFICATION_MALFORMED',
      'expected the raw request body (string or Buffer). Are you passing a body that express.json() already parsed? Mount express.raw() for this route, or use createDeliveryHandler().',
    )
  }
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8')
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
  if (Event !== DELIVERY_EVENT) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `unexpected Event "${Event}", expected "${DELIVERY_EVENT}"`)
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
  const payload = deliveryPayloadSchema.safeParse(payloadJson)
  if (!payload.success) {
    throw new GameSdkError('NOTIFICATION_MALFORMED', `the delivery Payload is invalid: ${z.prettifyError(payload.error)}`)
  }
  return { event: DELIVERY_EVENT, payModel: PayModel, payload: payload.data, rawPayload: Payload }
}
