import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { sasSuccessReply } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from './demo/demoGame'
import { listen } from '../../test/support/http'
import { PROTOCOL_VECTORS } from '../../test/vectors/protocolVectors'
import { startSimulator, type RunningSimulator } from './app'
import { ManualClock } from './clock'
import { paidOrder } from './delivery/testOrder'
import { validatePayment } from './payments/validatePayment'

/**
 * The simulator against signature vectors computed with OpenSSL (test/vectors/protocol.json):
 * it accepts the vectors' paySig, signature and pay_sig and refuses them one character off,
 * and the notifications it signs carry the vectors' PayEventSig for the vectors' Payload.
 */
const flip = (hex: string) => hex.replace(/^./, (c) => (c === '0' ? '1' : '0'))
const [paySigVector] = PROTOCOL_VECTORS.paySig.filter((v) => v.appKey === DEMO_GAME.appKey)
const [userVector] = PROTOCOL_VECTORS.signature
const [deliveryVector] = PROTOCOL_VECTORS.PayEventSig
const [refundVector] = PROTOCOL_VECTORS.refundNotification

/** The order the delivery and refund vectors' Payloads describe. */
const vectorOrder = paidOrder()

let sim: RunningSimulator
const received: string[] = []
let closeReceiver: () => Promise<unknown>
beforeAll(async () => {
  const app = express()
  app.post('/delivery', express.text({ type: '*/*' }), (req, res) => {
    received.push(req.body)
    res.json(sasSuccessReply())
  })
  const receiver = await listen(app)
  closeReceiver = receiver.close
  sim = await startSimulator({ port: 0, memory: true, sampleGameOrigin: 'http://127.0.0.1:1', clock: new ManualClock(Date.UTC(2026, 0, 1)), log: () => {} })
  await sim.store.mutate((state) => {
    const game = state.miniGames.find((g) => g.appId === DEMO_GAME.appId)!
    game.delivery.url = `${receiver.url}/delivery`
    game.delivery.testUrl = `${receiver.url}/delivery`
    state.orders.push({ ...vectorOrder })
    state.sessions.push({ appId: DEMO_GAME.appId, playerId: 'player-1', openid: 'oPlayer1', sessionKey: userVector!.sessionKey, expiredSessionKeys: [], updatedAt: '2026-01-01T00:00:00.000Z' })
  })
})
afterAll(async () => {
  await sim.close()
  await closeReceiver()
})

describe('the simulator against the outside vectors', () => {
  it("accepts the vectors' paySig and user-state signature, and refuses each one character off", () => {
    expect(paySigVector!.signData).toBe(userVector!.signData)
    const request = (paySig: string, signature: string) => ({ appId: DEMO_GAME.appId, playerId: 'player-1', params: { signData: paySigVector!.signData, paySig, signature } })
    expect(validatePayment(sim.store.state, request(paySigVector!.expected, userVector!.expected))).toMatchObject({ ok: true })
    expect(validatePayment(sim.store.state, request(flip(paySigVector!.expected), userVector!.expected))).toMatchObject({ ok: false, errCode: ErrCode.PAY_SIG_ERROR })
    expect(validatePayment(sim.store.state, request(paySigVector!.expected, flip(userVector!.expected)))).toMatchObject({ ok: false, errCode: ErrCode.USER_SIGNATURE_ERROR })
  })

  it.each(PROTOCOL_VECTORS.pay_sig)("accepts the vector's pay_sig on $uri over HTTP, and refuses it one character off (268490003)", async (v) => {
    const token = ((await (await fetch(`${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${DEMO_GAME.appId}&secret=${DEMO_GAME.appSecret}`)).json()) as { access_token: string }).access_token
    const call = async (paySig: string) => {
      const response = await fetch(`${sim.url}${v.uri}?access_token=${token}&pay_sig=${paySig}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: v.body })
      return (await response.json()) as { errcode: number; errmsg: string }
    }
    expect((await call(flip(v.expected))).errcode).toBe(268490003)
    expect(await call(v.expected)).toMatchObject({ errcode: 0 })
  })

  it("signs a delivery notification with the vector's PayEventSig over the vector's Payload", async () => {
    await sim.delivery.idle()
    received.length = 0
    await sim.delivery.enqueueDelivery(sim.store.state.orders.get(vectorOrder.orderNo)!)
    await sim.delivery.idle()
    expect(received).toHaveLength(1)
    const envelope = JSON.parse(received[0]!) as { Event: string; Payload: string; PayEventSig: string }
    expect(envelope).toMatchObject({ Event: deliveryVector!.event, Payload: deliveryVector!.payload, PayEventSig: deliveryVector!.expected })
  })

  it("signs a refund notification with the vector's signature over the vector's Payload", async () => {
    await sim.delivery.idle()
    received.length = 0
    const refund = JSON.parse(refundVector!.payload) as { WxRefundId: string; MchRefundId: string; RefundFee: number }
    const notification = await sim.store.mutate((state) =>
      sim.delivery.addRefundNotification(state, vectorOrder, {
        refundNo: refund.MchRefundId,
        wxRefundId: refund.WxRefundId,
        refundFee: refund.RefundFee,
        startedAt: '2026-01-02T00:00:00.000Z',
        succeededAt: '2026-01-02T00:00:05.000Z',
      }),
    { tablesOnly: true })
    sim.delivery.send(notification)
    await sim.delivery.idle()
    expect(received).toHaveLength(1)
    const envelope = JSON.parse(received[0]!) as { Event: string; Payload: string; PayEventSig: string }
    expect(envelope).toMatchObject({ Event: refundVector!.event, Payload: refundVector!.payload, PayEventSig: refundVector!.expected })
  })
})
