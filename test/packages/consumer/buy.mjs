// A game's own CI check, written against the installed packages only: a delivery receiver
// (the game server) and a headless player buy one item from the simulator that
// `superapp-sim exec` started (its URL in SIM_URL), and the receiver grants it once.
import { once } from 'node:events'
import express from 'express'
import { connectHeadlessPlayer } from '@superapp-sim/game-sdk/node'
import { createDeliveryHandler, createHostClient, signOrder } from '@superapp-sim/game-sdk/server'
import { SandboxControl } from '@superapp-sim/simulator'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'

const simulatorUrl = process.env.SIM_URL
if (!simulatorUrl) throw new Error('run me under `superapp-sim exec`: SIM_URL is not set')

// The game server: it signs orders and grants what the host delivers, checked against its own order.
const orders = new Map()
let granted
const grant = new Promise((resolve) => (granted = resolve))
const app = express()
app.post(
  '/delivery',
  createDeliveryHandler({
    appKey: DEMO_GAME.appKey,
    deliver: ({ payload }) => {
      const order = orders.get(payload.OutTradeNo)
      if (!order || order.productId !== payload.GoodsInfo.ProductId || order.quantity !== payload.GoodsInfo.Quantity) {
        throw new Error(`not an order of ours: ${payload.OutTradeNo}`)
      }
      granted(payload)
    },
  }),
)
const server = app.listen(0, '127.0.0.1')
await once(server, 'listening')
await new SandboxControl(simulatorUrl).configureDelivery(DEMO_GAME.appId, `http://127.0.0.1:${server.address().port}/delivery`)

const player = await connectHeadlessPlayer({ simulatorUrl, appId: DEMO_GAME.appId, playerId: 'player-1', sheet: 'confirm' })
const code = await player.payments.login()
const host = createHostClient({ baseUrl: simulatorUrl, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret })
const { session_key: sessionKey } = await host.code2Session(code)
const outTradeNo = `BUY${Date.now()}`
orders.set(outTradeNo, { productId: 'golden_sword', quantity: 1 })
const signed = signOrder({ appKey: DEMO_GAME.appKey, sessionKey, order: { productId: 'golden_sword', goodsPrice: 299, buyQuantity: 1, currencyType: 'USD', outTradeNo } })
const result = await player.payments.purchase(signed)
if (result.status !== 'paid') throw new Error(`the purchase was not paid: ${JSON.stringify(result)}`)
// A safety net, not a timing: the host delivers at once after the payment.
const delivered = await Promise.race([grant, new Promise((_, reject) => setTimeout(() => reject(new Error('no delivery within 20 s')), 20_000).unref())])
console.log(JSON.stringify({ status: result.status, outTradeNo, delivered: delivered.OutTradeNo, productId: delivered.GoodsInfo.ProductId }))
await player.close()
server.close()
