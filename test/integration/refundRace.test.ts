import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHostClient } from '@superapp-sim/game-sdk/server'
import { parseNotification } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { Store } from '../../simulator/src/store/store'
import { postJson } from '../support/http'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

/**
 * Refunds racing each other over HTTP on the persisted store, as `npm start` keeps it: there
 * a mutation resolves only after a disk write, so other requests run in between. The amount
 * left must be checked and reserved in one step whatever arrives in that gap (issue 13.2).
 * How many requests land in that gap depends on the disk: refundService.test.ts interleaves
 * the same operations deterministically.
 */
let stack: Stack
let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sim-refund-race-'))
  stack = await startStack({ dataDir })
})
afterEach(async () => {
  await stack.close()
  await rm(dataDir, { recursive: true, force: true })
})

const host = () => createHostClient({ baseUrl: stack.sim.url, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret, appKey: DEMO_GAME.appKey })

async function boughtSword() {
  const player = new ScriptedPlayer(stack)
  const { outTradeNo, orderNo } = await player.buy('golden_sword') // 299
  return { player, outTradeNo, orderNo: orderNo! }
}

function developerRefund(player: ScriptedPlayer, outTradeNo: string, refundOrderId: string, refundFee: number, left: number) {
  return host().xpay('/xpay/refund_order', { openid: player.openid, order_id: outTradeNo, refund_order_id: refundOrderId, refund_fee: refundFee, left_fee: left, refund_reason: 'support ticket' })
}

/** What the host says about the order, the refunds it holds and the refund notifications it sent. */
async function moneyOf(orderNo: string, outTradeNo: string) {
  await stack.sim.delivery.idle()
  const { order } = (await host().xpay('/xpay/query_order', { order_id: outTradeNo })) as { order: { order_fee: number; refund_fee: number; left_fee: number } }
  const refunds = stack.sim.store.state.refunds.byIndex('order', orderNo)
  const succeeded = refunds.filter((r) => r.status === 'succeeded')
  const pending = refunds.filter((r) => r.status === 'pending_approval')
  const notified = stack.sim.store.state.outbox
    .byIndex('order', orderNo)
    .filter((n) => n.kind === 'refund')
    .map((n) => parseNotification(n.body, DEMO_GAME.appKey).payload as { WxRefundId: string })
  return { order, succeeded, pending, notified }
}

/** The money invariants, on the live store and on the files after a restart. */
async function expectConsistent(orderNo: string, outTradeNo: string) {
  const { order, succeeded, pending, notified } = await moneyOf(orderNo, outTradeNo)
  const refunded = succeeded.reduce((sum, r) => sum + r.amount, 0)
  const reserved = pending.reduce((sum, r) => sum + r.amount, 0)
  expect(order.refund_fee).toBe(refunded)
  expect(refunded + reserved).toBeLessThanOrEqual(order.order_fee)
  expect(order.left_fee).toBe(order.order_fee - refunded - reserved)
  // One notification per succeeded refund, none for the others.
  expect(notified.map((n) => n.WxRefundId).sort()).toEqual(succeeded.map((r) => r.refundNo).sort())
  await stack.close()
  const reopened = await Store.file(dataDir)
  expect(reopened.state.orders.get(orderNo)!.refundedAmount ?? 0).toBe(refunded)
  expect(reopened.state.refunds.byIndex('order', orderNo).filter((r) => r.status === 'succeeded')).toHaveLength(succeeded.length)
  await reopened.close()
  stack = await startStack({ dataDir })
  return { refunded, reserved, succeeded }
}

describe('refunds racing on the persisted store', () => {
  it('10 parallel refund_order calls of 200 on a 299 order: one succeeds, one notification', async () => {
    const { player, outTradeNo, orderNo } = await boughtSword()
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => developerRefund(player, outTradeNo, `RACE-REFUND-${String(i).padStart(4, '0')}`, 200, 299)),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(Math.floor(299 / 200))
    for (const refused of results.filter((r) => r.status === 'rejected')) expect(String(refused.reason)).toMatch(/left_fee 299 is not the order's refundable amount 99/)
    const { refunded } = await expectConsistent(orderNo, outTradeNo)
    expect(refunded).toBe(200)
  })

  it('a player request and a developer refund at once: one of them gets the money', async () => {
    const { player, outTradeNo, orderNo } = await boughtSword()
    // The developer's call is sent first: it reaches the host first, usually.
    const [refunded, asked] = await Promise.allSettled([
      developerRefund(player, outTradeNo, 'RACE-DEV-0001', 299, 299),
      postJson(`${stack.sim.url}/host/api/orders/${orderNo}/refund-requests`, { playerId: player.playerId, reason: 'bought by mistake' }).then((r) => {
        if (r.status !== 201) throw new Error(r.text)
        return r.json
      }),
    ])
    // Whichever came first took all 299: the other is refused.
    expect([asked.status, refunded.status].sort()).toEqual(['fulfilled', 'rejected'])
    const { refunded: total, reserved } = await expectConsistent(orderNo, outTradeNo)
    expect(total + reserved).toBe(299)
  })
})
