/**
 * `npm run bench`: the per-purchase cost of the host (validate, open the sheet, pay) as the
 * number of stored orders grows, on the memory store and on the lowdb file store.
 * Absolute times are noisy on a shared machine: read the ratios, measured in one run.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { serializeSignData } from '../game-sdk/src/core/signData'
import { signPaySig, signUserSignature } from '../game-sdk/src/server/signatures'
import { SAMPLE_GAME } from '../sample-game/shared/catalog'
import { ManualClock } from '../simulator/src/clock'
import { demoState } from '../simulator/src/demo/demoData'
import { DeliveryEngine } from '../simulator/src/delivery/deliveryEngine'
import { PaymentService } from '../simulator/src/payments/paymentService'
import { OrderStatus, type Order } from '../simulator/src/store/model'
import { Store } from '../simulator/src/store/store'

const SIZES = [1_000, 10_000]
const PURCHASES = 200
const SESSION_KEY = 'bench-session-key'

function filler(i: number): Order {
  return {
    orderNo: `SIMFILL${i}`, appId: SAMPLE_GAME.appId, playerId: 'player-2', openid: 'oFill', outTradeNo: `FILL${i}`,
    productId: 'gem_pack_small', item: { name: 'Handful of Gems', price: 99, imageUrl: '' }, quantity: 1, unitPrice: 99,
    totalPrice: 99, currency: 'USD', env: 0, attach: '', zoneId: '', signData: '{}', status: OrderStatus.DELIVERED,
    deliveryFailed: false, createdAt: '2026-01-01T00:00:00.000Z',
  }
}

async function measure(kind: 'memory' | 'file', stored: number): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sim-bench-'))
  try {
    const store = kind === 'memory' ? await Store.memory() : await Store.file(dir)
    const state = await demoState({ sampleGameOrigin: 'http://127.0.0.1:1' })
    state.miniGames[0]!.delivery.enabled = false // measure the host, not the network
    state.sessions.push({ appId: SAMPLE_GAME.appId, playerId: 'player-1', openid: 'oBench', sessionKey: SESSION_KEY, expiredSessionKeys: [], updatedAt: '' })
    for (let i = 0; i < stored; i++) state.orders.push(filler(i))
    await store.replace(state)
    const clock = new ManualClock()
    const payments = new PaymentService(store, clock, new DeliveryEngine({ store, clock }))
    const started = performance.now()
    for (let i = 0; i < PURCHASES; i++) {
      const signData = serializeSignData({ buyQuantity: 1, currencyType: 'USD', productId: 'golden_sword', goodsPrice: 299, outTradeNo: `B${stored}x${i}` })
      const params = { signData, paySig: signPaySig(SAMPLE_GAME.appKey, signData), signature: signUserSignature(SESSION_KEY, signData) }
      const opened = await payments.start({ appId: SAMPLE_GAME.appId, playerId: 'player-1', params })
      if (!opened.ok) throw new Error(`bench purchase refused: ${opened.errMsg}`)
      await payments.confirm(opened.sheet.orderNo, 'player-1')
    }
    return (performance.now() - started) / PURCHASES
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const rows: { store: string; orders: number; msPerPurchase: number }[] = []
for (const kind of ['memory', 'file'] as const) {
  for (const size of SIZES) rows.push({ store: kind, orders: size, msPerPurchase: Number((await measure(kind, size)).toFixed(3)) })
}
console.table(rows)
for (const kind of ['memory', 'file']) {
  const [small, large] = rows.filter((r) => r.store === kind)
  console.log(`${kind}: cost at ${SIZES[1]} orders / cost at ${SIZES[0]} orders = ${(large!.msPerPurchase / small!.msPerPurchase).toFixed(1)}x`)
}
