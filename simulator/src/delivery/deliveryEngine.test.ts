import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { listen } from '../../../test/support/http'
import { parseDeliveryNotification, parseNotification } from '../../../game-sdk/src/server/notification'
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

type Step = 'ok' | 'wrong-body' | 'hang' | 'huge' | 'redirect' | number

/** A receiver that answers from a script: 'ok' (SAS success), a status code, or a misbehaviour. */
async function scriptedReceiver(script: Step[]) {
  const bodies: string[] = []
  const app = express()
  app.post('/delivery', express.text({ type: '*/*' }), (req, res) => {
    bodies.push(req.body)
    const step = script[Math.min(bodies.length - 1, script.length - 1)]
    if (step === 'ok') res.json(sasSuccessReply())
    else if (step === 'wrong-body') res.json({ ok: true })
    else if (step === 'hang') return // never answers: the host's timeout must end the attempt
    else if (step === 'huge') res.type('json').send(`{"returnCode":"0","data":"ok","pad":"${'x'.repeat(1024 * 1024)}"}`)
    else if (step === 'redirect') res.redirect(302, '/elsewhere')
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

async function setup(deliveryUrl: string, store?: Store, clock = new ManualClock(Date.UTC(2026, 0, 1)), engineOptions: { timeScale?: number; attemptTimeoutMs?: number } = {}) {
  store ??= await Store.memory()
  if (store.isEmpty) {
    const state = await demoState({ sampleGameOrigin: 'http://127.0.0.1:1' })
    state.miniGames[0]!.delivery.url = deliveryUrl
    state.miniGames[0]!.delivery.testUrl = `${deliveryUrl}?test`
    await store.replace(state)
  }
  const engine = new DeliveryEngine({ store, clock, ...engineOptions })
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
    expect(store.state.orders.at(0)).toMatchObject({ status: OrderStatus.DELIVERED, deliveryFailed: false })
    expect(store.state.outbox.at(0)).toMatchObject({ state: 'delivered' })
    expect(store.state.outbox.at(0)!.attempts[0]).toMatchObject({ outcome: 'success', status: 200 })
  })

  it('retries on the published schedule, driven by the clock, until the SAS reply', async () => {
    const receiver = await scriptedReceiver([500, 'wrong-body', 'ok'])
    const { store, engine, clock } = await setup(receiver.url)
    await enqueue(store, engine)
    expect(receiver.bodies).toHaveLength(1)
    expect(store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERING)

    clock.advance(RETRY_SCHEDULE_MS[0] - 1)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(1)
    clock.advance(1)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(2)
    clock.advance(RETRY_SCHEDULE_MS[1])
    await engine.idle()
    expect(receiver.bodies).toHaveLength(3)

    const attempts = store.state.outbox.at(0)!.attempts
    expect(attempts.map((a) => a.outcome)).toEqual(['failure', 'failure', 'success'])
    expect(attempts[1]!.error).toMatch(/SAS success reply/)
    expect(new Set(receiver.bodies).size).toBe(1) // the same signed body every time
    expect(store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERED)
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
    expect(store.state.outbox.at(0)!.state).toBe('failed')
    expect(store.state.orders.at(0)!.deliveryFailed).toBe(true)
    clock.advance(24 * 3600e3)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(RETRY_SCHEDULE_MS.length + 1)
  })

  it('sends sandbox orders to the Test URL with Env "1"', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    const notification = await enqueue(store, engine, paidOrder({ env: 1 }))
    expect(notification.target).toBe('testUrl')
    expect(store.state.outbox.at(0)!.attempts[0]!.url).toBe(`${receiver.url}?test`)
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
    expect(second.store.state.outbox.at(0)!.state).toBe('pending')
    second.engine.resume()
    clock.advance(RETRY_SCHEDULE_MS[0])
    await second.engine.idle()
    expect(receiver.bodies).toHaveLength(2)
    expect(second.store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERED)
  })
})

const iso = (ms: number) => new Date(ms).toISOString()
const T0 = Date.UTC(2026, 0, 1)

describe('DeliveryEngine: the schedule, exactly', () => {
  it('retries a receiver that fails the first 4 attempts at +15 s, +30 s, +60 s, +4 min, then stops', async () => {
    const receiver = await scriptedReceiver([500, 500, 503, 'wrong-body', 'ok'])
    const { store, engine, clock } = await setup(receiver.url)
    await enqueue(store, engine)
    for (const wait of RETRY_SCHEDULE_MS.slice(0, 4)) {
      clock.advance(wait)
      await engine.idle()
    }
    const attempts = store.state.outbox.at(0)!.attempts
    expect(attempts.map((a) => a.at)).toEqual([iso(T0), iso(T0 + 15e3), iso(T0 + 30e3), iso(T0 + 60e3), iso(T0 + 240e3)])
    expect(attempts.map((a) => a.outcome)).toEqual(['failure', 'failure', 'failure', 'failure', 'success'])
    expect(store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERED)
    expect(store.state.outbox.at(0)!.nextAttemptAt).toBeUndefined()
    clock.advance(24 * 3600e3)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(5)
  })

  it('divides the waits by the time scale, for demos', async () => {
    const receiver = await scriptedReceiver([500, 'ok'])
    const { store, engine, clock } = await setup(receiver.url, undefined, undefined, { timeScale: 60 })
    await enqueue(store, engine)
    expect(store.state.outbox.at(0)!.nextAttemptAt).toBe(iso(T0 + 250))
    clock.advance(250)
    await engine.idle()
    expect(store.state.outbox.at(0)!.attempts.map((a) => a.at)).toEqual([iso(T0), iso(T0 + 250)])
  })

  it('resumes mid-schedule after a restart at the persisted time', async () => {
    const receiver = await scriptedReceiver([500, 500, 500, 'ok'])
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-outbox-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const first = await setup(receiver.url, await Store.file(dir))
    await enqueue(first.store, first.engine)
    first.clock.advance(15e3)
    await first.engine.idle()
    await first.engine.stop() // 2 attempts made; the third is due at +30 s

    const clock = new ManualClock(T0 + 20e3)
    const second = await setup(receiver.url, await Store.file(dir), clock)
    second.engine.resume()
    clock.advance(9_999)
    await second.engine.idle()
    expect(receiver.bodies).toHaveLength(2)
    clock.advance(1)
    await second.engine.idle()
    clock.advance(30e3)
    await second.engine.idle()
    expect(second.store.state.outbox.at(0)!.attempts.map((a) => a.at)).toEqual([iso(T0), iso(T0 + 15e3), iso(T0 + 30e3), iso(T0 + 60e3)])
    expect(second.store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERED)
  })
})

describe('DeliveryEngine: receivers that misbehave', () => {
  it.each([
    ['refuses connections', 'closed', /cannot reach/],
    ['hangs past the timeout', 'hang', /no answer within 200 ms/],
    ['answers 200 with a wrong body', 'wrong-body', /not the SAS success reply/],
    ['answers a huge body', 'huge', /larger than 65536 bytes/],
    ['redirects', 'redirect', /redirect to \/elsewhere not followed/],
  ] as const)('records a receiver that %s as a failed attempt and schedules the retry', async (_name, step, reason) => {
    const receiver = await scriptedReceiver([step === 'closed' ? 500 : step])
    const url = step === 'closed' ? 'http://127.0.0.1:9/delivery' : receiver.url
    // Only the receiver that never answers meets the timeout, so only it gets a short one; the
    // others keep a limit a loaded machine never reaches, so their own reason is what is recorded.
    const { store, engine } = await setup(url, undefined, undefined, { attemptTimeoutMs: step === 'hang' ? 200 : 60_000 })
    await enqueue(store, engine)
    const notification = store.state.outbox.at(0)!
    expect(notification.attempts).toHaveLength(1)
    expect(notification.attempts[0]).toMatchObject({ outcome: 'failure' })
    expect(notification.attempts[0]!.error).toMatch(reason)
    expect(notification.attempts[0]!.responseBody?.length ?? 0).toBeLessThanOrEqual(2000)
    expect(notification).toMatchObject({ state: 'pending', nextAttemptAt: iso(T0 + 15e3) })
  })
})

describe('DeliveryEngine: faults, resend, manual delivery, refunds', () => {
  it('duplicate: sends the first delivery twice, the same body', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    engine.faults.set(SAMPLE_GAME.appId, [{ kind: 'duplicate', remaining: 1 }])
    await enqueue(store, engine)
    await enqueue(store, engine, paidOrder({ orderNo: 'SIM2', outTradeNo: 'OUT-2' }))
    expect(receiver.bodies).toHaveLength(3)
    expect(receiver.bodies[0]).toBe(receiver.bodies[1])
    expect(store.state.outbox.at(0)!.attempts.map((a) => a.fault)).toEqual([undefined, 'duplicate'])
  })

  it('delay: holds the first attempt for delayMs on the clock', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine, clock } = await setup(receiver.url)
    engine.faults.set(SAMPLE_GAME.appId, [{ kind: 'delay', remaining: 1, delayMs: 60e3 }])
    await enqueue(store, engine)
    clock.advance(59_999)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(0)
    clock.advance(1)
    await engine.idle()
    expect(store.state.outbox.at(0)!.attempts).toEqual([expect.objectContaining({ at: iso(T0 + 60e3), fault: 'delay', outcome: 'success' })])
  })

  it('outOfOrder: holds deliveries until N are queued, then sends the newest first', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    engine.faults.set(SAMPLE_GAME.appId, [{ kind: 'outOfOrder', remaining: 2 }])
    await enqueue(store, engine, paidOrder({ orderNo: 'SIM1', outTradeNo: 'FIRST' }))
    expect(receiver.bodies).toHaveLength(0)
    await enqueue(store, engine, paidOrder({ orderNo: 'SIM2', outTradeNo: 'SECOND' }))
    const order = receiver.bodies.map((b) => parseDeliveryNotification(b, SAMPLE_GAME.appKey).payload.OutTradeNo)
    expect(order).toEqual(['SECOND', 'FIRST'])
  })

  it('ignoreReply: a success reply is treated as a failure, so the receiver sees the retry', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine, clock } = await setup(receiver.url)
    engine.faults.set(SAMPLE_GAME.appId, [{ kind: 'ignoreReply', remaining: 1 }])
    await enqueue(store, engine)
    expect(store.state.outbox.at(0)!.attempts[0]).toMatchObject({ outcome: 'failure', status: 200, fault: 'ignoreReply' })
    clock.advance(15e3)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(2)
    expect(store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERED)
  })

  it('resend: a manual attempt delivers a notification that had given up', async () => {
    const receiver = await scriptedReceiver([500])
    const { store, engine, clock } = await setup(receiver.url)
    await enqueue(store, engine)
    for (const wait of RETRY_SCHEDULE_MS) {
      clock.advance(wait)
      await engine.idle()
    }
    expect(store.state.outbox.at(0)!.state).toBe('failed')
    const healthy = await scriptedReceiver(['ok'])
    await store.mutate((s) => void (s.miniGames[0]!.delivery.url = healthy.url))
    const attempt = await engine.resend(store.state.outbox.at(0)!.id)
    expect(attempt).toMatchObject({ outcome: 'success', manual: true })
    expect(store.state.outbox.at(0)!.state).toBe('delivered')
    expect(store.state.orders.at(0)).toMatchObject({ status: OrderStatus.DELIVERED, deliveryFailed: false })
  })

  it('markDelivered (notify_provide_goods) stops the retries', async () => {
    const receiver = await scriptedReceiver([500])
    const { store, engine, clock } = await setup(receiver.url)
    await enqueue(store, engine)
    await engine.markDelivered('SIM2026010100000001')
    clock.advance(3600e3)
    await engine.idle()
    expect(receiver.bodies).toHaveLength(1)
    expect(store.state.outbox.at(0)!.state).toBe('delivered')
    expect(store.state.orders.at(0)!.status).toBe(OrderStatus.DELIVERED)
  })

  it('sends a refund notification in the same envelope, signed with the AppKey', async () => {
    const receiver = await scriptedReceiver(['ok'])
    const { store, engine } = await setup(receiver.url)
    await store.mutate((s) => void s.orders.push(paidOrder({ status: OrderStatus.DELIVERED })))
    await engine.enqueueRefund(paidOrder(), { refundNo: 'RF12345678', wxRefundId: 'SIMR1', refundFee: 299, startedAt: iso(T0), succeededAt: iso(T0 + 1000) })
    await engine.idle()
    const parsed = parseNotification(receiver.bodies[0]!, SAMPLE_GAME.appKey)
    expect(parsed.event).toBe('xpay_refund_notify')
    expect(parsed.payload).toMatchObject({ MchOrderId: 'OUT-1', WxOrderId: 'SIM2026010100000001', MchRefundId: 'RF12345678', RefundFee: 299, RetCode: 0 })
    expect(store.state.outbox.at(0)).toMatchObject({ kind: 'refund', state: 'delivered', refundNo: 'RF12345678' })
  })
})
