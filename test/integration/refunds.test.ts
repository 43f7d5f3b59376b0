import ExcelJS from 'exceljs'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHostClient } from '@superapp-sim/game-sdk/server'
import { parseNotification } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { ManualClock } from '../../simulator/src/clock'
import { OrderStatus } from '../../simulator/src/store/model'
import { ConsoleClient } from '../support/console'
import { postJson } from '../support/http'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

let stack: Stack
let clock: ManualClock
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0)
beforeEach(async () => {
  clock = new ManualClock(T0)
  stack = await startStack({ simulator: { clock } })
})
afterEach(async () => {
  await stack.close()
})

const host = () => createHostClient({ baseUrl: stack.sim.url, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret, appKey: DEMO_GAME.appKey })
const requestRefund = (orderNo: string, playerId = 'player-1', reason = 'bought by mistake') =>
  postJson(`${stack.sim.url}/host/api/orders/${orderNo}/refund-requests`, { playerId, reason })

describe('a refund asked by the player', () => {
  it('goes request -> superapp approval -> signed notification -> the game takes the item back', async () => {
    const player = new ScriptedPlayer(stack)
    const { orderNo, outTradeNo } = await player.buy('golden_sword')
    expect((await player.inventory()).items).toEqual([{ productId: 'golden_sword', name: 'Golden Sword', quantity: 1 }])

    const requested = await requestRefund(orderNo!)
    expect(requested.status).toBe(201)
    expect(requested.json.refund).toMatchObject({ amount: 299, status: 'pending_approval' })
    expect((await requestRefund(orderNo!)).status).toBe(409) // one waiting request at a time

    const superadmin = await ConsoleClient.login(stack, 'superadmin')
    const queue = await superadmin.get('/refunds/pending')
    expect(queue.json.refunds.map((r: { orderNo: string }) => r.orderNo)).toEqual([orderNo])
    const approved = await superadmin.post(`/refunds/${requested.json.refund.refundNo}/approve`)
    expect(approved.json.refund).toMatchObject({ status: 'succeeded', decidedBy: 'superadmin' })
    await stack.sim.delivery.idle()

    const notification = stack.sim.store.state.outbox.find((n) => n.kind === 'refund')!
    expect(notification.state).toBe('delivered')
    const parsed = parseNotification(notification.body, DEMO_GAME.appKey)
    expect(parsed.payload).toMatchObject({ MchOrderId: outTradeNo, WxOrderId: orderNo, RefundFee: 299, RetCode: 0 })
    expect(stack.sim.store.state.orders.get(orderNo!)).toMatchObject({ status: OrderStatus.REFUNDED, refundedAmount: 299 })
    expect((await player.inventory()).items).toEqual([])
    // The console's order detail shows the order with its delivery and refund notifications and the refund.
    const detail = await superadmin.get(`/minigames/${DEMO_GAME.appId}/orders/${orderNo}`)
    expect(detail.status).toBe(200)
    expect(detail.json).toMatchObject({ orderNo, statusName: expect.any(String), refundedAmount: 299, leftFee: 0, refunds: [{ amount: 299, status: 'succeeded' }] })
    expect(detail.json.notifications.map((n: { kind: string }) => n.kind).sort()).toEqual(['delivery', 'refund'])
  })

  it('is rejected with a reason and changes nothing on the order; auto-approve skips the queue', async () => {
    const player = new ScriptedPlayer(stack)
    const { orderNo } = await player.buy('swift_boots')
    const requested = await requestRefund(orderNo!)
    const superadmin = await ConsoleClient.login(stack, 'superadmin')
    expect((await superadmin.post(`/refunds/${requested.json.refund.refundNo}/reject`, {})).status).toBe(400)
    const rejected = await superadmin.post(`/refunds/${requested.json.refund.refundNo}/reject`, { reason: 'used for 3 weeks' })
    expect(rejected.json.refund).toMatchObject({ status: 'rejected', rejectReason: 'used for 3 weeks' })
    expect(stack.sim.store.state.orders.get(orderNo!)).toMatchObject({ status: OrderStatus.DELIVERED })

    await fetch(`${stack.sim.url}/_sim/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ autoApproveRefunds: true }) })
    const auto = await requestRefund(orderNo!)
    expect(auto.json.refund.status).toBe('succeeded')
  })

  it('refuses an unpaid, closed or other player order, and changes nothing', async () => {
    const player = new ScriptedPlayer(stack)
    const { orderNo: closed } = await player.buy('gem_chest', 'cancel')
    const { orderNo: paid } = await player.buy('gem_chest')
    const before = JSON.stringify(stack.sim.store.state)
    expect((await requestRefund(closed!)).status).toBe(409)
    expect((await requestRefund(paid!, 'player-2')).status).toBe(404)
    expect((await requestRefund('SIM0000', 'player-1')).status).toBe(404)
    expect((await requestRefund(paid!, 'player-1', '')).status).toBe(400)
    expect(JSON.stringify(stack.sim.store.state)).toBe(before)
  })
})

describe('refunds started by the game server (refund_order, query_order)', () => {
  it('refunds in parts with pay_sig, idempotent on refund_order_id, and query_order shows what is left', async () => {
    const player = new ScriptedPlayer(stack)
    const { outTradeNo, orderNo } = await player.buy('gem_chest') // 499
    const client = host()
    const refund = (refund_order_id: string, refund_fee: number, left_fee: number) =>
      client.xpay('/xpay/refund_order', { openid: player.openid, order_id: outTradeNo, refund_order_id, refund_fee, left_fee, refund_reason: 'support ticket' })

    const first = await refund('SUPPORT-0001', 200, 499)
    expect(first).toMatchObject({ errcode: 0, refund_order_id: 'SUPPORT-0001' })
    expect(await refund('SUPPORT-0001', 200, 499)).toEqual(first) // a retry of the same call
    await expect(refund('SUPPORT-0001', 100, 299)).rejects.toThrow(/used for another refund/)
    await expect(refund('SUPPORT-0002', 300, 299)).rejects.toThrow(/refund_fee must be in \(0, 299\]/)
    await expect(refund('SUPPORT-0002', 100, 499)).rejects.toThrow(/left_fee 499/)
    await expect(refund('SHORT', 100, 299)).rejects.toThrow(/8 to 32/)

    const queried = await client.xpay('/xpay/query_order', { order_id: outTradeNo })
    expect(queried.order).toMatchObject({ order_id: outTradeNo, wx_order_id: orderNo, status: OrderStatus.DELIVERED, order_fee: 499, refund_fee: 200, left_fee: 299 })
    await refund('SUPPORT-0002', 299, 299)
    expect((await client.xpay('/xpay/query_order', { wx_order_id: orderNo })).order).toMatchObject({ status: OrderStatus.REFUNDED, refund_fee: 499, left_fee: 0 })
    await expect(refund('SUPPORT-0003', 1, 0)).rejects.toThrow(/fully refunded/)
    await stack.sim.delivery.idle()
    expect(stack.sim.store.state.outbox.filter((n) => n.kind === 'refund').map((n) => n.state)).toEqual(['delivered', 'delivered'])
  })

  it('refuses a bad pay_sig with the store unchanged', async () => {
    const player = new ScriptedPlayer(stack)
    const { outTradeNo } = await player.buy('gem_chest')
    const token = await host().accessToken()
    const before = JSON.stringify(stack.sim.store.state)
    const reply = await postJson(`${stack.sim.url}/xpay/refund_order?access_token=${token}&pay_sig=${'0'.repeat(64)}`, { openid: player.openid, order_id: outTradeNo, refund_order_id: 'SUPPORT-0009', refund_fee: 1, left_fee: 499 })
    // WeChat's shape: HTTP 200 and errcode 268490003 (signature error).
    expect(reply.status).toBe(200)
    expect(reply.json.errcode).toBe(268490003)
    expect(JSON.stringify(stack.sim.store.state)).toBe(before)
  })
})

describe('after-sales record: dates on the simulator clock', () => {
  const DAY = 24 * 3600e3
  async function refundOn(dayOffset: number, player: ScriptedPlayer, product = 'gem_pack_small') {
    clock.advance(dayOffset * DAY)
    const { orderNo } = await player.buy(product)
    await fetch(`${stack.sim.url}/_sim/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ autoApproveRefunds: true }) })
    return (await requestRefund(orderNo!, player.playerId)).json.refund.refundNo as string
  }

  it('defaults to the last 7 days, today included, and refuses more than 12 months back', async () => {
    const player = new ScriptedPlayer(stack)
    const old = await refundOn(0, player) // 2026-11-26
    const recent = await refundOn(7, player) // 2026-12-03: the default window is 11-27 .. 12-03
    const operator = await ConsoleClient.login(stack, 'operator')
    const byDefault = await operator.get(`/minigames/${DEMO_GAME.appId}/refunds`)
    expect(byDefault.json).toMatchObject({ from: '2026-11-27', to: '2026-12-03' })
    expect(byDefault.json.refunds.map((r: { refundNo: string }) => r.refundNo)).toEqual([recent])
    const wider = await operator.get(`/minigames/${DEMO_GAME.appId}/refunds?from=2026-11-26`)
    expect(wider.json.refunds.map((r: { refundNo: string }) => r.refundNo)).toEqual([recent, old])

    expect((await operator.get(`/minigames/${DEMO_GAME.appId}/refunds?from=2025-12-03`)).status).toBe(200)
    const tooOld = await operator.get(`/minigames/${DEMO_GAME.appId}/refunds?from=2025-12-02`)
    expect(tooOld.status).toBe(400)
    expect(tooOld.json.error.message).toMatch(/more than 12 months: the earliest from date is 2025-12-03/)
    expect((await operator.get(`/minigames/${DEMO_GAME.appId}/refunds?from=2026-12-03&to=2026-12-01`)).status).toBe(400)
    expect((await operator.get(`/minigames/${DEMO_GAME.appId}/refunds?from=2026-02-30`)).status).toBe(400)
    const search = await operator.get(`/minigames/${DEMO_GAME.appId}/refunds?from=2026-11-26&q=${old}`)
    expect(search.json.refunds).toHaveLength(1)
  })
})

describe('exports read back equal to the records', () => {
  it('orders and refunds as CSV and .xlsx', async () => {
    const player = new ScriptedPlayer(stack)
    for (const product of ['gem_pack_small', 'golden_sword', 'gem_chest']) await player.buy(product)
    await player.buy('swift_boots', 'cancel')
    await fetch(`${stack.sim.url}/_sim/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ autoApproveRefunds: true }) })
    const first = stack.sim.store.state.orders.at(0)!
    await requestRefund(first.orderNo)
    const operator = await ConsoleClient.login(stack, 'operator')
    const listed = (await operator.get(`/minigames/${DEMO_GAME.appId}/orders?pageSize=200`)).json
    expect(listed.total).toBe(4)

    const download = async (path: string) => {
      const response = await fetch(`${operator.base}${path}`, { headers: { authorization: `Bearer ${operator.token}` } })
      expect(response.status).toBe(200)
      return Buffer.from(await response.arrayBuffer())
    }
    const csv = parseCsv((await download(`/minigames/${DEMO_GAME.appId}/orders/export?format=csv`)).toString('utf8'), { columns: true, bom: true }) as Record<string, string>[]
    expect(csv.map((r) => [r.orderNo, Number(r.totalPrice), Number(r.status), r.outTradeNo])).toEqual(listed.orders.map((o: { orderNo: string; totalPrice: number; status: number; outTradeNo: string }) => [o.orderNo, o.totalPrice, o.status, o.outTradeNo]))

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await download(`/minigames/${DEMO_GAME.appId}/orders/export?format=xlsx`)) as never)
    const sheet = workbook.worksheets[0]!
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    const rows = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => Object.fromEntries(header.map((h, i) => [h, (row.values as unknown[])[i + 1]])))
    expect(rows.map((r) => [r.orderNo, r.totalPrice, r.status])).toEqual(listed.orders.map((o: { orderNo: string; totalPrice: number; status: number }) => [o.orderNo, o.totalPrice, o.status]))

    const refundsCsv = parseCsv((await download(`/minigames/${DEMO_GAME.appId}/refunds/export?format=csv`)).toString('utf8'), { columns: true, bom: true }) as Record<string, string>[]
    const refundRecords = (await operator.get(`/minigames/${DEMO_GAME.appId}/refunds`)).json.refunds
    expect(refundsCsv.map((r) => [r.refundNo, r.orderNo, Number(r.amount), r.status])).toEqual(refundRecords.map((r: { refundNo: string; orderNo: string; amount: number; status: string }) => [r.refundNo, r.orderNo, r.amount, r.status]))
    expect(refundsCsv).toHaveLength(1)
    // The test player's name beside the id, as the console's rows show it.
    expect(csv.map((r) => [r.playerId, r.playerName])).toEqual(listed.orders.map((o: { playerId: string; playerName: string }) => [o.playerId, o.playerName]))
    expect(csv[0]!.playerName).not.toBe('')
    expect(refundsCsv[0]!.playerName).toBe(refundRecords[0].playerName)
  })
})
