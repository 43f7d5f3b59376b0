import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import express from 'express'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { listen } from '../../../test/support/http'
import { parseNotification } from '@superapp-sim/game-sdk'
import { sasSuccessReply } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '../demo/demoGame'
import { ManualClock } from '../clock'
import { demoState } from '../demo/demoData'
import { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import { leftFee } from '../orders/orderMoney'
import { OrderStatus, type Order } from '../store/model'
import { Store } from '../store/store'
import { RefundService } from './refundService'

/**
 * Refunds interleaved on the persisted store (a file store, as `npm start` keeps it): each
 * operation is started without waiting for the others, so every write of one is a gap in
 * which the others run. Whatever the interleaving, the money must add up at every moment.
 */
let cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

const PRICE = 299
const ORDER_NO = 'SIM2026010100000001'

async function receiver() {
  const app = express()
  app.post('/delivery', express.text({ type: '*/*' }), (_req, res) => void res.json(sasSuccessReply()))
  const server = await listen(app)
  cleanups.push(server.close)
  return `${server.url}/delivery`
}

function paidOrder(): Order {
  return {
    orderNo: ORDER_NO,
    appId: DEMO_GAME.appId,
    playerId: 'player-1',
    openid: 'oPlayer1',
    outTradeNo: 'OUT-1',
    productId: 'golden_sword',
    item: { name: 'Golden Sword', price: PRICE, imageUrl: '' },
    quantity: 1,
    unitPrice: PRICE,
    totalPrice: PRICE,
    currency: 'USD',
    env: 0,
    attach: '',
    zoneId: '',
    signData: '{}',
    status: OrderStatus.DELIVERED,
    deliveryFailed: false,
    refundedAmount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    paidAt: '2026-01-01T00:00:00.000Z',
  }
}

/** A file store holding the demo data and one paid 299 order, with the refund service over it. */
async function setup(deliveryUrl: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'sim-refunds-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const store = await Store.file(dir)
  const state = await demoState({ sampleGameOrigin: 'http://127.0.0.1:1' })
  state.miniGames[0]!.delivery.url = deliveryUrl
  await store.replace(state)
  await store.mutate((s) => void s.orders.push(paidOrder()))
  const clock = new ManualClock(Date.UTC(2026, 0, 2))
  const delivery = new DeliveryEngine({ store, clock })
  const refunds = new RefundService(store, clock, delivery)
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await delivery.stop()
    await store.close()
  }
  cleanups.push(close)
  return { dir, store, delivery, refunds, close }
}

/**
 * The money of the order: refunded equals the sum of its succeeded refunds, and refunded,
 * reserved (waiting for approval) and left add up to what was paid, never more.
 */
function money(store: Store) {
  const order = store.state.orders.get(ORDER_NO)!
  const refunds = store.state.refunds.byIndex('order', ORDER_NO)
  const sum = (status: string) => refunds.filter((r) => r.status === status).reduce((total, r) => total + r.amount, 0)
  return { refunded: order.refundedAmount ?? 0, succeeded: sum('succeeded'), reserved: sum('pending_approval'), left: leftFee(store.state, order), status: order.status }
}

function expectMoneyAddsUp(store: Store) {
  const { refunded, succeeded, reserved, left } = money(store)
  expect(refunded).toBe(succeeded)
  expect(left).toBeGreaterThanOrEqual(0)
  expect(refunded + reserved + left).toBe(PRICE)
}

/** One refund notification per succeeded refund, for that refund. */
function expectOneNotificationPerRefund(store: Store) {
  const notified = store.state.outbox
    .byIndex('order', ORDER_NO)
    .filter((n) => n.kind === 'refund')
    .map((n) => (parseNotification(n.body, DEMO_GAME.appKey).payload as { WxRefundId: string }).WxRefundId)
  const succeeded = store.state.refunds.byIndex('order', ORDER_NO).filter((r) => r.status === 'succeeded').map((r) => r.refundNo)
  expect(notified.sort()).toEqual(succeeded.sort())
}

/** A game server's refund_order: it refunds `fee` and says `left` is left, as query_order told it. */
function developerRefund(refunds: RefundService, store: Store, id: string, fee: number, left = leftFee(store.state, store.state.orders.get(ORDER_NO)!)) {
  return refunds.startByDeveloper(store.state.orders.get(ORDER_NO)!, { refundOrderId: id, refundFee: fee, leftFee: left, reason: 'support ticket' })
}

const refused = (operation: Promise<unknown>) =>
  operation.then(
    () => 'done' as const,
    (error: unknown) => {
      if (error instanceof SimulatorError) return error.code
      throw error
    },
  )

describe('refunds started together', () => {
  it('10 refund_order calls of 200 on a 299 order: one succeeds, one notification', async () => {
    const { store, refunds, delivery } = await setup(await receiver())
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => refused(developerRefund(refunds, store, `RACE-${i}`, 200, PRICE))))
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(Math.floor(PRICE / 200))
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(9)
    await delivery.idle()
    expect(money(store)).toMatchObject({ refunded: 200, left: 99 })
    expectOneNotificationPerRefund(store)
  })

  it('a developer refund and a player request: the request sees what the refund took', async () => {
    const { store, refunds } = await setup(await receiver())
    const developer = refused(developerRefund(refunds, store, 'RACE-DEV', PRICE))
    expectMoneyAddsUp(store) // at once, not only after the write
    const player = refused(refunds.requestByPlayer(ORDER_NO, 'player-1', 'bought by mistake'))
    expect(await Promise.all([developer, player])).toEqual(['done', 'CONFLICT'])
    expect(money(store)).toMatchObject({ refunded: PRICE, reserved: 0, left: 0, status: OrderStatus.REFUNDED })
  })

  it('an approval racing a developer refund: what the approval refunds is never offered again', async () => {
    const { store, refunds, delivery } = await setup(await receiver())
    const request = await refunds.requestByPlayer(ORDER_NO, 'player-1', 'bought by mistake')
    const approval = refunds.approve(request.refundNo, undefined)
    expectMoneyAddsUp(store)
    // The game server queries the order while the approval is written, and refunds what it is told is left.
    const left = leftFee(store.state, store.state.orders.get(ORDER_NO)!)
    const developer = left > 0 ? refused(developerRefund(refunds, store, 'RACE-APPROVE', left, left)) : Promise.resolve('nothing left')
    await approval
    expect(await developer).toBe('nothing left')
    await delivery.idle()
    expect(money(store)).toMatchObject({ refunded: PRICE, left: 0, status: OrderStatus.REFUNDED })
    expectOneNotificationPerRefund(store)
  })

  it('two approvals of one request: the second is refused, the money counted once', async () => {
    const { store, refunds } = await setup(await receiver())
    const request = await refunds.requestByPlayer(ORDER_NO, 'player-1', 'bought by mistake')
    const outcomes = await Promise.all([refused(refunds.approve(request.refundNo, undefined)), refused(refunds.approve(request.refundNo, undefined))])
    expect(outcomes).toEqual(['done', 'CONFLICT'])
    expect(money(store)).toMatchObject({ refunded: PRICE, succeeded: PRICE })
  })
})

type Operation =
  | { kind: 'developer'; fee: number; trustsQuery: boolean }
  | { kind: 'player' }
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'retry' }

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('developer' as const), fee: fc.integer({ min: 1, max: PRICE + 1 }), trustsQuery: fc.boolean() }),
  fc.constant({ kind: 'player' as const }),
  fc.constant({ kind: 'approve' as const }),
  fc.constant({ kind: 'reject' as const }),
  fc.constant({ kind: 'retry' as const }),
)

/** Lets the event loop turn `turns` times: other operations and the store's writes run in between. */
async function turns(count: number) {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('refunds under any interleaving (property)', () => {
  it('never refund more than was paid, and the order counts exactly its succeeded refunds, live and after a restart', { timeout: 60_000 }, async () => {
    const deliveryUrl = await receiver()
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ op: operation, delay: fc.nat(4) }), { minLength: 2, maxLength: 8 }), async (plan) => {
        const { dir, store, refunds, delivery, close } = await setup(deliveryUrl)
        let developerIds = 0
        const violations: string[] = []
        // Watches the money at every turn of the event loop while the operations run.
        let running = true
        const watcher = (async () => {
          while (running) {
            const { refunded, succeeded, reserved, left } = money(store)
            if (refunded !== succeeded || left < 0 || refunded + reserved + left !== PRICE) violations.push(JSON.stringify(money(store)))
            await turns(1)
          }
        })()
        const run = async ({ op, delay }: (typeof plan)[number]) => {
          await turns(delay)
          const order = store.state.orders.get(ORDER_NO)!
          const pending = store.state.refunds.byIndex('order', ORDER_NO).find((r) => r.status === 'pending_approval')
          switch (op.kind) {
            case 'developer': {
              const left = leftFee(store.state, order)
              return refused(developerRefund(refunds, store, `PROP-${developerIds++}`, op.trustsQuery ? Math.min(op.fee, Math.max(left, 1)) : op.fee, op.trustsQuery ? left : PRICE))
            }
            case 'retry':
              return refused(developerRefund(refunds, store, 'PROP-0', 100, PRICE))
            case 'player':
              return refused(refunds.requestByPlayer(ORDER_NO, 'player-1', 'changed my mind'))
            case 'approve':
              return pending ? refused(refunds.approve(pending.refundNo, undefined)) : 'nothing pending'
            case 'reject':
              return pending ? refused(refunds.reject(pending.refundNo, { username: 'superadmin', passwordHash: '', role: 'super_admin', email: '', teamId: null }, 'no')) : 'nothing pending'
          }
        }
        await Promise.all(plan.map(run))
        running = false
        await watcher
        await delivery.idle()
        expect(violations).toEqual([])
        expectMoneyAddsUp(store)
        expectOneNotificationPerRefund(store)
        const live = money(store)
        await close()
        const reopened = await Store.file(dir)
        cleanups.push(() => reopened.close())
        expect(money(reopened)).toEqual(live)
        expectOneNotificationPerRefund(reopened)
      }),
      { numRuns: 40 },
    )
  })
})
