import { connectHeadlessPlayer } from '@superapp-sim/game-sdk/node'
import { startTestGameServer, type TestGameServer } from '@superapp-sim/game-sdk/testing'
import { startSimulator, type SandboxControl, type Simulator } from '@superapp-sim/simulator'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { afterAll, beforeAll, expect, it } from 'vitest'

let sim: Simulator
let sandbox: SandboxControl
let game: TestGameServer

beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
  // One sandbox per test worker: suites run in parallel without seeing each other.
  sandbox = sim.sandbox(`worker-${process.env.VITEST_POOL_ID ?? 0}`)
  await sandbox.reset('demo')
  // The game server under test: yours, or game-sdk's test server as here. The demo fixture
  // delivers to http://127.0.0.1:7071 (the sample game's port, whatever runs there):
  // point this sandbox's deliveries at your server instead.
  game = await startTestGameServer({
    hostUrl: sandbox.url,
    appId: DEMO_GAME.appId,
    appSecret: DEMO_GAME.appSecret,
    appKey: DEMO_GAME.appKey,
    prices: { gem_pack_small: 99 },
  })
  await sandbox.configureDelivery(DEMO_GAME.appId, game.deliveryUrl)
})

afterAll(async () => {
  await game?.close()
  await sim?.close()
})

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

it('a player buys a handful of gems and the game server grants it once', async () => {
  const player = await connectHeadlessPlayer({ simulatorUrl: sandbox.url, appId: DEMO_GAME.appId, playerId: 'player-1', sheet: 'confirm' })
  try {
    // wx.login on the host; your server exchanges the code (jscode2session) and signs the order.
    const code = await player.payments.login()
    const { openid } = await post<{ openid: string }>(`${game.url}/login`, { code })
    const order = await post<{ signData: string; paySig: string; signature: string; outTradeNo: string }>(`${game.url}/orders`, { openid, productId: 'gem_pack_small' })
    const result = await player.payments.purchase(order)
    expect(result.status).toBe('paid')
    // The delivery notification reaches your server just after the payment.
    await expect.poll(() => game.grantCount(order.outTradeNo)).toBe(1)
    expect((await sandbox.order(DEMO_GAME.appId, order.outTradeNo))?.statusName).toBe('delivered')
  } finally {
    await player.close()
  }
})
