import { describe, expect, it } from 'vitest'
import { GameSdkError } from '../core/errors'
import {
  buildDeliveryNotification,
  buildRefundNotification,
  DELIVERY_EVENT,
  parseDeliveryNotification,
  parseNotification,
  REFUND_EVENT,
  type DeliveryPayload,
} from './notification'
import { createTestDeliveryNotification } from '../testing/notifications'
import { signPayEventSig } from './signatures'

const appKey = 'app-key-for-tests'
const payload: DeliveryPayload = {
  OpenId: 'oPlayer',
  Env: '0',
  OutTradeNo: 'T123',
  GoodsInfo: { ProductId: 'gem', Quantity: 2, ZoneId: '', OrigPrice: 198, ActualPrice: 198, Attach: 'a', OrderSource: 1 },
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof GameSdkError) return error.code
    throw error
  }
  return undefined
}

describe('delivery notifications', () => {
  it('parses what buildDeliveryNotification signs, keeping the raw Payload', () => {
    const body = buildDeliveryNotification(appKey, payload)
    const parsed = parseDeliveryNotification(Buffer.from(body), appKey)
    expect(parsed.payload).toEqual(payload)
    expect(parsed.rawPayload).toBe(JSON.parse(body).Payload)
    expect(JSON.parse(body)).toMatchObject({ EventType: 'event', Event: DELIVERY_EVENT })
  })

  it('refuses a notification signed with another AppKey', () => {
    const body = buildDeliveryNotification('someone-else', payload)
    expect(codeOf(() => parseDeliveryNotification(body, appKey))).toBe('SIGNATURE_INVALID')
  })

  it('refuses a Payload changed after signing, even when it is equivalent JSON', () => {
    const envelope = JSON.parse(buildDeliveryNotification(appKey, payload))
    envelope.Payload = JSON.stringify(JSON.parse(envelope.Payload), null, 1)
    expect(codeOf(() => parseDeliveryNotification(JSON.stringify(envelope), appKey))).toBe('SIGNATURE_INVALID')
    envelope.Payload = envelope.Payload.replace('"Quantity": 2', '"Quantity": 20')
    expect(codeOf(() => parseDeliveryNotification(JSON.stringify(envelope), appKey))).toBe('SIGNATURE_INVALID')
  })

  it('explains that an already-parsed body is not the raw body', () => {
    const parsedBody = JSON.parse(buildDeliveryNotification(appKey, payload))
    expect(() => parseDeliveryNotification(parsedBody as never, appKey)).toThrow(/raw request body/)
  })

  it('refuses bodies that are not a notification envelope', () => {
    expect(codeOf(() => parseDeliveryNotification('not json', appKey))).toBe('NOTIFICATION_MALFORMED')
    expect(codeOf(() => parseDeliveryNotification('{"EventType":"event"}', appKey))).toBe('NOTIFICATION_MALFORMED')
    const otherEvent = JSON.stringify({ EventType: 'event', Event: 'other', Payload: '{}', PayEventSig: signPayEventSig(appKey, 'other', '{}') })
    expect(codeOf(() => parseDeliveryNotification(otherEvent, appKey))).toBe('NOTIFICATION_MALFORMED')
  })

  it('refuses a correctly signed Payload of the wrong shape', () => {
    const raw = JSON.stringify({ OpenId: 'o' })
    const body = JSON.stringify({ EventType: 'event', Event: DELIVERY_EVENT, Payload: raw, PayEventSig: signPayEventSig(appKey, DELIVERY_EVENT, raw) })
    expect(() => parseDeliveryNotification(body, appKey)).toThrow(/Payload is invalid/)
  })
})

describe('refund notifications and test helpers', () => {
  const refund = {
    OpenId: 'oPlayer',
    WxOrderId: 'SIM1',
    MchOrderId: 'T123',
    WxRefundId: 'SIMR1',
    MchRefundId: 'RF000001',
    RefundFee: 99,
    RetCode: 0,
    RetMsg: 'success',
    RefundStartTimestamp: 1767225600,
    RefundSuccTimestamp: 1767225601,
    RetryTimes: 0,
  }

  it('parses a signed refund notification, and refuses one signed with another key', () => {
    const parsed = parseNotification(buildRefundNotification(appKey, refund), appKey)
    expect(parsed.event).toBe(REFUND_EVENT)
    expect(parsed.payload).toEqual(refund)
    expect(codeOf(() => parseNotification(buildRefundNotification('other', refund), appKey))).toBe('SIGNATURE_INVALID')
  })

  it('parseDeliveryNotification refuses a refund notification', () => {
    expect(codeOf(() => parseDeliveryNotification(buildRefundNotification(appKey, refund), appKey))).toBe('NOTIFICATION_MALFORMED')
  })

  it('builds a valid test notification with overrides', () => {
    const parsed = parseDeliveryNotification(createTestDeliveryNotification(appKey, { OutTradeNo: 'MINE', GoodsInfo: { Quantity: 3 } }), appKey)
    expect(parsed.payload).toMatchObject({ OutTradeNo: 'MINE', GoodsInfo: { Quantity: 3, ProductId: 'test_product' } })
    expect(parsed.event).toBe(DELIVERY_EVENT)
  })

  it('refuses a delivery paid outside the clock tolerance, and accepts one inside it', () => {
    const paidAt = 1767225600
    const body = buildDeliveryNotification(appKey, { ...payload, WeChatPayInfo: { MchOrderNo: 'SIM1', TransactionId: 'T', PaidTime: paidAt } })
    expect(() => parseDeliveryNotification(body, appKey, { toleranceSeconds: 300, now: (paidAt + 301) * 1000 })).toThrow(/tolerance/)
    expect(parseDeliveryNotification(body, appKey, { toleranceSeconds: 300, now: (paidAt + 299) * 1000 }).payload.OutTradeNo).toBe('T123')
    expect(parseDeliveryNotification(body, appKey).payload.OutTradeNo).toBe('T123')
  })
})
