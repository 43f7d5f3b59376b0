// Every entry point of both packages, used as a game and its server would, type-checked
// under moduleResolution bundler and node16 against the installed declarations.
import express from 'express'
import { DELIVERY_EVENT, ErrCode, createGamePayments, parseNotification, signPaySig, type DeliveryPayload, type PurchaseResult, type SignData } from '@superapp-sim/game-sdk'
import { createPostMessageTransport, getWx } from '@superapp-sim/game-sdk/browser'
import { connectHeadlessPlayer, type HeadlessPlayer } from '@superapp-sim/game-sdk/node'
import { createDeliveryHandler, createHostClient, createNotificationReceiver, signOrder, verifyNotification, type DeliveryNotification } from '@superapp-sim/game-sdk/server'
import { createTestDeliveryNotification, createTestRefundNotification } from '@superapp-sim/game-sdk/testing'
import { SandboxControl, startSimulator, type Simulator } from '@superapp-sim/simulator'
import { DEMO_GAME, DEMO_ITEMS } from '@superapp-sim/simulator/fixtures'
import { superappSim } from '@superapp-sim/simulator/vite'

export const paid: number = ErrCode.OK
export const sig: string = signPaySig('key', '{}')
export const firstItem: string | undefined = DEMO_ITEMS[0]?.productId
export function grant(notification: DeliveryNotification): string {
  const payload: DeliveryPayload = notification.payload
  return `${payload.OutTradeNo}:${payload.GoodsInfo.ProductId}x${payload.GoodsInfo.Quantity}`
}

const app = express()
app.post('/delivery', createDeliveryHandler({ appKey: DEMO_GAME.appKey, deliver: (n) => void grant(n) }))
const receive = createNotificationReceiver({ appKey: DEMO_GAME.appKey, deliver: (n) => void grant(n) })
export async function receiveOne(body: string): Promise<number> {
  const { status } = await receive(body, { 'content-type': 'application/json' })
  return status
}
export const verified = verifyNotification(createTestDeliveryNotification(DEMO_GAME.appKey), new Headers({ 'content-type': 'application/json' }), { appKey: DEMO_GAME.appKey })
export const isDelivery: boolean = verified.event === DELIVERY_EVENT
export const refund = parseNotification(createTestRefundNotification(DEMO_GAME.appKey), DEMO_GAME.appKey)
export const host = createHostClient({ baseUrl: 'http://127.0.0.1:7070', appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret })
export const signed = signOrder({ appKey: DEMO_GAME.appKey, sessionKey: 's', order: { productId: 'p', goodsPrice: 1, buyQuantity: 1, currencyType: 'USD', outTradeNo: 'T1' } })
export const signData: Partial<SignData> = JSON.parse(signed.signData)

export async function inBrowser(): Promise<PurchaseResult> {
  const payments = createGamePayments(getWx({ loginTimeoutMs: 5000 }))
  void createPostMessageTransport
  return payments.purchase(signed)
}

export async function inTests(): Promise<void> {
  const sim: Simulator = await startSimulator({ port: 0, memory: true, fixture: 'demo' })
  const sandbox: SandboxControl = sim.sandbox('worker-1')
  await sandbox.reset('demo')
  const player: HeadlessPlayer = await connectHeadlessPlayer({ simulatorUrl: sandbox.url, appId: DEMO_GAME.appId, playerId: 'player-1' })
  await player.close()
  await sim.close()
}

export const plugin = superappSim({ port: 7070, fixture: 'demo' })
