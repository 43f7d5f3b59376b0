import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { listen } from '../../../test/support/http'
import { parseDeliveryNotification } from '../../../game-sdk/src/server/notification'
import { sasSuccessReply } from '../../../game-sdk/src/server/sasReply'
import { SAMPLE_GAME } from '../../../sample-game/shared/catalog'
import { ManualClock } from '../clock'
import { demoState } from '../demo/demoData'
import { OrderStatus, type Order } from '../store/model'
import { Store } from '../store/store'
import { DeliveryEngine, RETRY_SCHEDULE_MS } from './deliveryEngine'

let cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

/** A receiver that answers from a script: 'ok' (SAS success), a status code, or 'wrong-body'. */
async function scriptedReceiver(script: ('ok' | 'wrong-body' | number)[]) {
  const bodies: string[] = []
  const app = express()
  app.post('/delivery', express.text({ type: '*/*' }), (req, res) => {
    bodies.push(req.body)
    const step = script[Math.min(bodies.length - 1, script.length - 1)]
    if (step === 'ok') res.json(sasSuccessReply())
    else if (step === 'wrong-body') res.json({ ok: true })
    else res.status(step ?? 500).send('down')
  })
  const server = await listen(app)
  cleanups.push(server.close)
  return { url: `${server.url}/delivery`, bodies }
}

function paidOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderNo: 'SIM2026010100000001',
    appId: SAMPLE_GAME.appId,
    playerId: 'player-1',
    openid: 'oPlayer1',
    outTradeNo: 'OUT-1',
    productId: 'golden_sword',
    item: { name: 'Golden Sword', price: 299, imageUrl: '' },
    quantity: 1,
    unitPrice: 299,
    totalPrice: 299,
    currency: 'USD',
    env: 0,
    attach: 'a',
    zoneId: '',
    signData: '{}',
    status: OrderStatus.PAID,
    deliveryFailed: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    paidAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

async function setup(deliveryUrl: string, store?: Store, clock = new ManualClock(Date.UTC(2026, 0, 1))) {
  store ??= await Store.memory()
  if (store.isEmpty) {
    const state = await demoState({ sampleGameOrigin: 'http://127.0.0.1:1' })
    state.miniGames[0]!.delivery.url = deliveryUrl
    state.miniGames[0]!.delivery.testUrl = `${deliveryUrl}?test`
    await store.replace(state)
  }
  const engine = new DeliveryEngine({ store, clock })
  cleanups.push(() => engine.stop())
  return { store, clock, engine }
}

async function enqueue(store: Store, engine: DeliveryEngine, order = paidOrder()) {
  await store.mutate((s) => void s.orders.push(order))
  const notification = await engine.enqueueDelivery(order)
  await engine.idle()
  return notification!
}

describe('DeliveryEngine', () => {
  it('sends a notification signed with the AppKey and marks the order delivered on the SAS reply', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    await enqueue(store, engine)
    expect(receiver.bodies).toHaveLength(1)
    const parsed = parseDeliveryNotification(receiver.bodies[0]!, SAMPLE_GAME.appKey)
    expect(parsed.payload).toMatchObject({ OutTradeNo: 'OUT-1', Env: '0', OpenId: 'oPlayer1', GoodsInfo: { ProductId: 'golden_sword', ActualPrice: 299, Attach: 'a' } })
    expect(parsed.payload.WeChatPayInfo?.MchOrderNo).toBe('SIM2026010100000001')
    expect(store.state.orders[0]).toMatchObject({ status: OrderStatus.DELIVERED, deliveryFailed: false })
    expect(store.state.outbox[0]).toMatchObject({ state: 'delivered' })
    expect(store.state.outbox[0]!.attempts[0]).toMatchObject({ outcome: 'success', status: 200 })
  })

  it('retries on the published schedule, driven by the clock, until the SAS reply', async () => {
    const receiver = await scriptedReceiver([500, 'wrong-body', 'ok'])
    const { store, engine, clock } = await setup(receiver.url)
    await enqueue(store, engine)
    expect(receiver.bodies).toHaveLength(1)
    expect(store.state.orders[0]!.status).toBe(OrderStatus.DELIVERING)

    clock.advance(RETRY_SCHEDULE_MS[0] - 1)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(1)
    clock.advance(1)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(2)
    clock.advance(RETRY_SCHEDULE_MS[1])
    await engine.idle()
    expect(receiver.bodies).toHaveLength(3)

    const attempts = store.state.outbox[0]!.attempts
    expect(attempts.map((a) => a.outcome)).toEqual(['failure', 'failure', 'success'])
    expect(attempts[1]!.error).toMatch(/SAS success reply/)
    expect(new Set(receiver.bodies).size).toBe(1) // the same signed body every time
    expect(store.state.orders[0]!.status).toBe(OrderStatus.DELIVERED)
  })

  it('gives up after the last retry and marks the order delivery failed', async () => {
    const receiver = await scriptedReceiver([503])
    const { store, engine, clock } = await setup(receiver.url)
    await enqueue(store, engine)
    for (const wait of RETRY_SCHEDULE_MS) {
      clock.advance(wait)
      await engine.idle()
    }
    expect(receiver.bodies).toHaveLength(RETRY_SCHEDULE_MS.length + 1)
    expect(store.state.outbox[0]!.state).toBe('failed')
    expect(store.state.orders[0]!.deliveryFailed).toBe(true)
    clock.advance(24 * 3600e3)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(RETRY_SCHEDULE_MS.length + 1)
  })

  it('sends sandbox orders to the Test URL with Env "1"', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    const notification = await enqueue(store, engine, paidOrder({ env: 1 }))
    expect(notification.target).toBe('testUrl')
    expect(store.state.outbox[0]!.attempts[0]!.url).toBe(`${receiver.url}?test`)
    expect(parseDeliveryNotification(receiver.bodies[0]!, SAMPLE_GAME.appKey).payload.Env).toBe('1')
  })

  it('sends nothing while notifications are disabled', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    await store.mutate((s) => void (s.miniGames[0]!.delivery.enabled = false))
    expect(await engine.enqueueDelivery(paidOrder())).toBeUndefined()
    expect(receiver.bodies).toHaveLength(0)
  })

  it('resumes a pending notification after a restart, from the persisted outbox', async () => {
    const receiver = await scriptedReceiver([500, 'ok'])
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-outbox-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const first = await setup(receiver.url, await Store.file(dir))
    await enqueue(first.store, first.engine)
    await first.engine.stop()

    const clock = new ManualClock(first.clock.now())
    const second = await setup(receiver.url, await Store.file(dir), clock)
    expect(second.store.state.outbox[0]!.state).toBe('pending')
    second.engine.resume()
    clock.advance(RETRY_SCHEDULE_MS[0])
    await second.engine.idle()
    expect(receiver.bodies).toHaveLength(2)
    expect(second.store.state.orders[0]!.status).toBe(OrderStatus.DELIVERED)
  })
})
