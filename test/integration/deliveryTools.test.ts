import express from 'express'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHostClient } from '@superapp-sim/game-sdk/server'
import { deliveryPayloadSchema } from '@superapp-sim/game-sdk'
import { sasSuccessReply } from '@superapp-sim/game-sdk'
import { signServerApi } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { main as cli } from '../../simulator/src/cli'
import { ManualClock } from '../../simulator/src/clock'
import { checkEndpoint } from '../../simulator/src/delivery/endpointChecker'
import { OrderStatus } from '../../simulator/src/store/model'
import { ConsoleClient } from '../support/console'
import { listen, postJson } from '../support/http'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

let stack: Stack
let clock: ManualClock
beforeEach(async () => {
  clock = new ManualClock(Date.now())
  stack = await startStack({ simulator: { clock } })
})
afterEach(async () => {
  await stack.close()
})

/** A receiver that answers success to anything: what a developer writes before reading the docs. */
async function naiveReceiver() {
  const app = express()
  let requests = 0
  app.post('/notify', (_req, res) => {
    requests++
    res.json(sasSuccessReply())
  })
  const server = await listen(app)
  return { url: `${server.url}/notify`, close: server.close, requests: () => requests }
}

const hostClient = () => createHostClient({ baseUrl: stack.sim.url, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret, appKey: DEMO_GAME.appKey })

describe('the endpoint checker', () => {
  it('passes the sample server on a real order, and grants nothing more', async () => {
    const player = new ScriptedPlayer(stack)
    const { outTradeNo } = await player.buy('swift_boots')
    const delivered = stack.sim.store.state.outbox.find((n) => n.outTradeNo === outTradeNo)!
    const base = deliveryPayloadSchema.parse(JSON.parse(JSON.parse(delivered.body).Payload))
    const report = await checkEndpoint({ url: `${stack.game.url}/api/delivery`, appKey: DEMO_GAME.appKey, base })
    expect(report.results.map((r) => [r.check, r.passed])).toEqual([
      ['valid notification', true],
      ['the same notification again (duplicate)', true],
      ['bad PayEventSig', true],
      ['tampered Payload (signature of the original)', true],
      ['malformed body', true],
      ['unknown product (validly signed)', true],
    ])
    expect((await player.inventory()).items).toEqual([{ productId: 'swift_boots', name: 'Swift Boots', quantity: 1 }])
  })

  it('catches a naive receiver that acknowledges everything', async () => {
    const naive = await naiveReceiver()
    try {
      const report = await checkEndpoint({
        url: naive.url,
        appKey: 'k',
        base: { OpenId: 'o', Env: '0', OutTradeNo: 'X1', GoodsInfo: { ProductId: 'p', Quantity: 1, ZoneId: '', OrigPrice: 1, ActualPrice: 1, Attach: '', OrderSource: 1 } },
      })
      expect(report.results.filter((r) => !r.passed).map((r) => r.check)).toEqual([
        'bad PayEventSig',
        'tampered Payload (signature of the original)',
        'malformed body',
        'unknown product (validly signed)',
      ])
      expect(report.results.find((r) => r.check === 'bad PayEventSig')!.detail).toMatch(/forge/)
      expect(naive.requests()).toBe(6)
    } finally {
      await naive.close()
    }
  })

  it('runs from the CLI with a pass/fail line per check and exit code 1 on failures', async () => {
    const naive = await naiveReceiver()
    const output: string[] = []
    const write = process.stdout.write
    const writeError = process.stderr.write
    process.stdout.write = ((chunk: string) => output.push(String(chunk)) > 0) as typeof process.stdout.write
    process.stderr.write = ((chunk: string) => output.push(String(chunk)) > 0) as typeof process.stderr.write
    try {
      expect(await cli(['check-endpoint', '--url', naive.url, '--app-key', 'k'])).toBe(1)
      expect(await cli(['check-endpoint', '--url', 'nope', '--app-key', 'k'])).toBe(2)
    } finally {
      process.stdout.write = write
      process.stderr.write = writeError
      await naive.close()
    }
    const lines = output.join('').split('\n')
    expect(lines.filter((l) => l.startsWith('PASS'))).toHaveLength(2)
    expect(lines.filter((l) => l.startsWith('FAIL'))).toHaveLength(4)
    expect(lines).toContain('2 of 6 checks passed')
    expect(lines).toContain('--url must be an http(s) URL')
  })

  it('runs from the console on the latest delivered order', async () => {
    await new ScriptedPlayer(stack).buy('gem_pack_small')
    const mpadmin = await ConsoleClient.login(stack, 'mpadmin')
    const report = await mpadmin.post(`/minigames/${DEMO_GAME.appId}/delivery-config/check-endpoint`)
    expect(report.json).toMatchObject({ passed: 6, failed: 0, url: `${stack.game.url}/api/delivery` })
  })
})

describe('POST /xpay/notify_provide_goods', () => {
  it('lets the game server mark an order delivered while the host is still retrying', async () => {
    await fetch(`${stack.game.url}/api/demo/receiver`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'down', count: 100 }) })
    const { outTradeNo, orderNo } = await new ScriptedPlayer(stack).buy('golden_sword')
    expect(stack.sim.store.state.orders.find((o) => o.orderNo === orderNo)!.status).toBe(OrderStatus.DELIVERING)

    await hostClient().notifyProvideGoods({ outTradeNo })
    expect(stack.sim.store.state.orders.find((o) => o.orderNo === orderNo)).toMatchObject({ status: OrderStatus.DELIVERED })
    clock.advance(3600e3)
    await stack.sim.delivery.idle()
    expect(stack.sim.store.state.outbox.find((n) => n.orderNo === orderNo)!.attempts).toHaveLength(1)
  })

  it('refuses a bad pay_sig, a bad token, an unknown or unpaid order, and a malformed body, changing nothing', async () => {
    const player = new ScriptedPlayer(stack)
    const { orderNo: closedOrder } = await player.buy('gem_chest', 'cancel')
    const token = await hostClient().accessToken()
    const call = (body: string, query: { access_token?: string; pay_sig?: string } = {}) =>
      postJson(
        `${stack.sim.url}/xpay/notify_provide_goods?${new URLSearchParams({ access_token: token, pay_sig: signServerApi(DEMO_GAME.appKey, '/xpay/notify_provide_goods', body), ...query })}`,
        body,
      )
    const before = JSON.stringify(stack.sim.store.state)
    // WeChat's shape: HTTP 200, the errcode says what is wrong.
    const cases = [
      [await call('{"order_id":"X"}', { pay_sig: 'a'.repeat(64) }), 268490003],
      [await call('{"order_id":"X"}', { access_token: 'nope' }), 40001],
      [await call('{"order_id":"NO_SUCH_ORDER"}'), 268490002],
      [await call(JSON.stringify({ wx_order_id: closedOrder })), 268490002],
      [await call('{}'), 268490002],
      [await call('not json'), 268490002],
    ] as const
    for (const [reply, errcode] of cases) {
      expect(reply.status, reply.text).toBe(200)
      expect(reply.json.errcode, reply.text).toBe(errcode)
      expect(reply.json.errmsg.length).toBeGreaterThan(5)
    }
    expect(JSON.stringify(stack.sim.store.state)).toBe(before)
  })

  it('issues access tokens only for the right secret', async () => {
    const wrong = await fetch(`${stack.sim.url}/cgi-bin/token?grant_type=client_credential&appid=${DEMO_GAME.appId}&secret=nope`)
    expect(wrong.status).toBe(200)
    expect(((await wrong.json()) as { errcode: number }).errcode).toBe(40001)
  })
})

describe('fault injection through /_sim', () => {
  it('duplicates the next delivery, and the sample server grants once', async () => {
    const put = await fetch(`${stack.sim.url}/_sim/minigames/${DEMO_GAME.appId}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faults: [{ kind: 'duplicate', count: 1 }] }),
    })
    expect(put.status).toBe(200)
    const player = new ScriptedPlayer(stack)
    const { orderNo } = await player.buy('golden_sword')
    const attempts = stack.sim.store.state.outbox.find((n) => n.orderNo === orderNo)!.attempts
    expect(attempts.map((a) => [a.outcome, a.fault])).toEqual([['success', undefined], ['success', 'duplicate']])
    expect((await player.inventory()).items).toEqual([{ productId: 'golden_sword', name: 'Golden Sword', quantity: 1 }])
    const after = await fetch(`${stack.sim.url}/_sim/minigames/${DEMO_GAME.appId}/faults`).then((r) => r.json())
    expect(after).toEqual({ faults: [] })
  })

  it('refuses an invalid fault with 400', async () => {
    const bad = await fetch(`${stack.sim.url}/_sim/minigames/${DEMO_GAME.appId}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faults: [{ kind: 'delay', count: 1 }] }),
    })
    expect(bad.status).toBe(400)
  })
})

describe('the console deliveries log', () => {
  it('lists, details and resends a notification, filtered by state', async () => {
    const { orderNo } = await new ScriptedPlayer(stack).buy('gem_pack_small')
    const operator = await ConsoleClient.login(stack, 'operator')
    const list = await operator.get(`/minigames/${DEMO_GAME.appId}/notifications?state=delivered`)
    expect(list.json.notifications).toEqual([expect.objectContaining({ orderNo, kind: 'delivery', state: 'delivered', attemptCount: 1 })])
    expect((await operator.get(`/minigames/${DEMO_GAME.appId}/notifications?state=failed`)).json.notifications).toEqual([])
    const id = list.json.notifications[0].id
    const detail = await operator.get(`/minigames/${DEMO_GAME.appId}/notifications/${id}`)
    expect(detail.json.requestHeaders['content-type']).toBe('application/json')
    expect(JSON.parse(detail.json.body).Event).toBe('minigame_game_pay_goods_deliver_notify')
    expect((await operator.post(`/minigames/${DEMO_GAME.appId}/notifications/${id}/resend`)).status).toBe(403)
    const mpadmin = await ConsoleClient.login(stack, 'mpadmin')
    const resent = await mpadmin.post(`/minigames/${DEMO_GAME.appId}/notifications/${id}/resend`)
    expect(resent.json.notification.attempts.map((a: { manual?: boolean; outcome: string }) => [a.outcome, a.manual ?? false])).toEqual([
      ['success', false],
      ['success', true],
    ])
    expect((await mpadmin.get(`/minigames/${DEMO_GAME.appId}/notifications/N99999999`)).status).toBe(404)
  })
})
