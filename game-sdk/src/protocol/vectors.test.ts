import { describe, expect, it } from 'vitest'
import { PROTOCOL_VECTORS } from '../../../test/vectors/protocolVectors'
import { GameSdkError } from '../core/errors'
import { buildDeliveryNotification, buildRefundNotification, parseNotification } from './notification'
import { signaturesEqual, signPayEventSig, signPaySig, signServerApi, signUserSignature } from './signatures'

/** The SDK's signing and verifying against vectors computed with OpenSSL (test/vectors/protocol.json). */
describe('game-sdk against the outside vectors', () => {
  it.each(PROTOCOL_VECTORS.paySig)('signs paySig: $name', (v) => {
    expect(signPaySig(v.appKey, v.signData)).toBe(v.expected)
  })

  it.each(PROTOCOL_VECTORS.signature)('signs the user-state signature: $name', (v) => {
    expect(signUserSignature(v.sessionKey, v.signData)).toBe(v.expected)
  })

  it.each(PROTOCOL_VECTORS.pay_sig)('signs pay_sig: $name', (v) => {
    expect(signServerApi(v.appKey, v.uri, v.body)).toBe(v.expected)
  })

  it.each(PROTOCOL_VECTORS.PayEventSig)('builds and verifies a delivery notification with its PayEventSig: $name', (v) => {
    expect(signPayEventSig(v.appKey, v.event, v.payload)).toBe(v.expected)
    const envelope = JSON.parse(buildDeliveryNotification(v.appKey, JSON.parse(v.payload))) as { Payload: string; PayEventSig: string }
    expect(envelope.Payload).toBe(v.payload)
    expect(envelope.PayEventSig).toBe(v.expected)
    const body = JSON.stringify({ EventType: 'event', Event: v.event, PayModel: 'goods', Payload: v.payload, PayEventSig: v.expected })
    expect(parseNotification(body, v.appKey).payload).toEqual(JSON.parse(v.payload))
    const forged = JSON.stringify({ EventType: 'event', Event: v.event, Payload: v.payload, PayEventSig: v.expected.replace(/^./, (c) => (c === '0' ? '1' : '0')) })
    expect(() => parseNotification(forged, v.appKey)).toThrow(GameSdkError)
  })

  it.each(PROTOCOL_VECTORS.refundNotification)('builds and verifies a refund notification: $name', (v) => {
    const envelope = JSON.parse(buildRefundNotification(v.appKey, JSON.parse(v.payload))) as { Event: string; Payload: string; PayEventSig: string }
    expect(envelope).toMatchObject({ Event: v.event, Payload: v.payload, PayEventSig: v.expected })
    const body = JSON.stringify({ EventType: 'event', Event: v.event, Payload: v.payload, PayEventSig: v.expected })
    expect(parseNotification(body, v.appKey)).toMatchObject({ event: 'xpay_refund_notify', payload: JSON.parse(v.payload) })
  })

  it('accepts each vector signature and refuses it for a message one byte off', () => {
    for (const v of PROTOCOL_VECTORS.paySig) {
      expect(signaturesEqual(signPaySig(v.appKey, v.signData), v.expected)).toBe(true)
      expect(signaturesEqual(signPaySig(v.appKey, `${v.signData} `), v.expected)).toBe(false)
    }
  })
})
