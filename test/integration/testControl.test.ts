import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createDeliveryHandler, createHostClient, createMemoryLedger, signOrder } from '@superapp-sim/game-sdk/server'
import { createReceiverFault } from '@superapp-sim/game-sdk/testing'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { listen, postJson } from '../support/http'
import { collectMessages } from '../support/socketMessages'

const APP = DEMO_GAME.appId
let sim: RunningSimulator

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : undefined }
}

/** A game server of the test's own: signs orders for a sandbox and receives its deliveries. */
async function gameServerFor(base: string, failFirst = 0) {
  const game = (await call('GET', `${base}/_sim/minigames/${APP}`)).json
  const host = createHostClient({ baseUrl: base, appId: APP, appSecret: game.appSecret })
  const granted: string[] = []
  const receiverFault = createReceiverFault()
  if (failFirst > 0) receiverFault.failNext(failFirst)
  const app = express()
  app.post(
    '/delivery',
    express.raw({ type: '*/*' }),
    receiverFault.middleware,
    createDeliveryHandler({ appKey: game.appKey, ledger: createMemoryLedger(), deliver: async (n) => void granted.push(n.payload.OutTradeNo) }),
  )
  const server = await listen(app)
  await call('PATCH', `${base}/_sim/minigames/${APP}`, { deliveryUrl: `${server.url}/delivery`, testDeliveryUrl: `${server.url}/delivery` })
  let serial = 0
  return {
    granted,
    close: server.close,
    /** wx.login through the host API, the code exchanged, one gem pack ordered and the sheet opened. */
    async open(playerId = 'player-1', productId = 'gem_pack_small', goodsPrice = 99) {
      const { code } = (await postJson(`${base}/host/api/login`, { appId: APP, playerId })).json
      const { session_key } = await host.code2Session(code)
      const outTradeNo = `TC${Date.now().toString(36)}${serial++}`.toUpperCase()
      const params = signOrder({ appKey: game.appKey, sessionKey: session_key, order: { productId, goodsPrice, buyQuantity: 1, currencyType: 'USD', outTradeNo, env: 0 } })
      const started = (await postJson(`${base}/host/api/payments`, { appId: APP, playerId, params })).json
      return { outTradeNo, started }
    },
  }
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(async () => {
  await sim.close()
})

describe('sandboxes', () => {
  it('are created by a reset, addressed by path prefix or header, and isolated from each other', async () => {
    const a = await call('POST', `${sim.url}/sandbox/iso-a/_sim/reset`, { fixture: 'demo' })
    expect(a.json).toMatchObject({ sandbox: 'iso-a', fixture: 'demo', generation: 1 })
    await call('POST', `${sim.url}/_sim/reset`, {}, { 'x-sim-sandbox': 'iso-b' })
    const game = await gameServerFor(`${sim.url}/sandbox/iso-a`)
    try {
      const { outTradeNo, started } = await game.open()
      expect(started.ok).toBe(true)
      const inA = await call('GET', `${sim.url}/sandbox/iso-a/_sim/orders?appId=${APP}&outTradeNo=${outTradeNo}`)
      const inB = await call('GET', `${sim.url}/_sim/orders?appId=${APP}&outTradeNo=${outTradeNo}`, undefined, { 'x-sim-sandbox': 'iso-b' })
      const inDefault = await call('GET', `${sim.url}/_sim/orders?appId=${APP}&outTradeNo=${outTradeNo}`)
      expect(inA.json.orders).toHaveLength(1)
      expect(inB.json.orders).toEqual([])
      expect(inDefault.json.orders).toEqual([])
    } finally {
      await game.close()
    }
    const list = (await call('GET', `${sim.url}/_sim/sandboxes`)).json.sandboxes.map((s: { sandbox: string }) => s.sandbox)
    expect(list).toEqual(expect.arrayContaining(['default', 'iso-a', 'iso-b']))
  })

  it('answers an unknown sandbox with a 404 that says how to create it, and a conflicting header with a 400', async () => {
    const unknown = await call('GET', `${sim.url}/sandbox/nobody/host/api/config`)
    expect(unknown.status).toBe(404)
    expect(unknown.json.error.message).toContain('POST /sandbox/nobody/_sim/reset')
    const conflict = await call('GET', `${sim.url}/sandbox/iso-x/_sim/clock`, undefined, { 'x-sim-sandbox': 'iso-y' })
    expect(conflict.status).toBe(400)
    const badName = await call('POST', `${sim.url}/sandbox/Bad%20Name/_sim/reset`, {})
    expect(badName.status).toBe(400)
    // A malformed escape is the client's mistake too, on HTTP and on a WebSocket upgrade.
    const badEscape = await call('GET', `${sim.url}/sandbox/%E0%A4%A/_sim/clock`)
    expect(badEscape.status).toBe(400)
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/sandbox/%E0%A4%A/host/events`)
    expect(await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))).toBe(400)
    const unknownFixture = await call('POST', `${sim.url}/sandbox/iso-c/_sim/reset`, { fixture: 'nope' })
    expect(unknownFixture.status).toBe(404)
    expect(unknownFixture.json.error.message).toMatch(/demo, empty/)
    expect((await call('GET', `${sim.url}/sandbox/iso-c/_sim/sandbox`)).status).toBe(404)
  })

  it('a reset closes the sandbox\'s sockets with 4001, fails its open sheets and bumps the generation, while other sandboxes go on', async () => {
    await call('POST', `${sim.url}/sandbox/iso-r/_sim/reset`, {})
    const game = await gameServerFor(`${sim.url}/sandbox/iso-r`)
    try {
      const socket = new WebSocket(`${sim.url.replace('http', 'ws')}/sandbox/iso-r/host/events`)
      await new Promise((resolve) => socket.once('open', resolve))
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
      const { started } = await game.open()
      const outcome = fetch(`${sim.url}/sandbox/iso-r/host/api/payments/${started.sheet.orderNo}/outcome?playerId=player-1`).then((r) => r.json())
      const reset = await call('POST', `${sim.url}/sandbox/iso-r/_sim/reset`, { fixture: 'empty' })
      expect(reset.json).toMatchObject({ generation: 2, fixture: 'empty' })
      expect(await closed).toBe(4001)
      expect(await outcome).toMatchObject({ errCode: -1, errMsg: 'requestMidasPaymentGameItem:fail the host stopped' })
      expect((await call('GET', `${sim.url}/sandbox/iso-r/_sim/orders?appId=${APP}`)).json.orders).toEqual([])
      expect((await call('GET', `${sim.url}/sandbox/iso-b/_sim/sandbox`)).json.generation).toBe(1)
    } finally {
      await game.close()
    }
  })

  it('serves a request arriving during a reset from the new sandbox, and runs a delete after the reset before it', async () => {
    await call('POST', `${sim.url}/sandbox/iso-q/_sim/reset`, {})
    // Started in process, so it is surely under way when the requests arrive.
    const reset = sim.sandboxes.reset('iso-q', 'empty')
    const during = call('GET', `${sim.url}/sandbox/iso-q/_sim/clock`)
    const described = call('GET', `${sim.url}/sandbox/iso-q/_sim/sandbox`)
    expect((await reset).generation).toBe(2)
    expect((await during).status).toBe(200)
    expect((await described).json).toMatchObject({ fixture: 'empty', generation: 2 })
    const again = sim.sandboxes.reset('iso-q', 'demo')
    const deleted = call('DELETE', `${sim.url}/sandbox/iso-q/_sim/sandbox`)
    expect((await again).generation).toBe(3)
    expect((await deleted).status).toBe(204)
    expect((await call('GET', `${sim.url}/sandbox/iso-q/_sim/sandbox`)).status).toBe(404)
  })

  it('can be deleted, except the default one', async () => {
    await call('POST', `${sim.url}/sandbox/iso-d/_sim/reset`, {})
    expect((await call('DELETE', `${sim.url}/sandbox/iso-d/_sim/sandbox`)).status).toBe(204)
    expect((await call('GET', `${sim.url}/sandbox/iso-d/_sim/clock`)).status).toBe(404)
    expect((await call('DELETE', `${sim.url}/_sim/sandbox`)).status).toBe(409)
  })
})

describe('the clock and the sheet policy', () => {
  const base = () => `${sim.url}/sandbox/clocked`

  it('a slow sheet answers after its delay on the sandbox clock, and delivery retries follow the clock', async () => {
    await call('POST', `${base()}/_sim/reset`, {})
    const frozen = (await call('POST', `${base()}/_sim/clock`, { frozen: true })).json
    expect(frozen.frozen).toBe(true)
    const game = await gameServerFor(base(), 1)
    try {
      await call('PUT', `${base()}/_sim/payment-sheet`, { policy: 'confirm', delayMs: 10_000, playerId: 'player-1' })
      const { outTradeNo, started } = await game.open()
      expect(started.policy).toEqual({ policy: 'confirm', delayMs: 10_000 })
      const orderOf = async () => (await call('GET', `${base()}/_sim/orders?appId=${APP}&outTradeNo=${outTradeNo}`)).json.orders[0]
      await call('POST', `${base()}/_sim/clock`, { advanceMs: 9_999 })
      expect((await orderOf()).statusName).toBe('created')
      // Due now: the sheet pays, the first delivery attempt meets the failing receiver.
      await call('POST', `${base()}/_sim/clock`, { advanceMs: 1 })
      const outcome = (await call('GET', `${base()}/host/api/payments/${started.sheet.orderNo}/outcome?playerId=player-1`)).json
      expect(outcome).toMatchObject({ errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok' })
      expect((await orderOf()).notifications[0].attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['failure'])
      await call('POST', `${base()}/_sim/clock`, { advanceMs: 14_999 })
      expect(game.granted).toEqual([])
      await call('POST', `${base()}/_sim/clock`, { advanceMs: 1 })
      expect(game.granted).toEqual([outTradeNo])
      expect((await orderOf()).statusName).toBe('delivered')
    } finally {
      await game.close()
    }
  })

  it('one big clock move follows the retry schedule as small moves do', async () => {
    await call('POST', `${base()}/_sim/reset`, {})
    await call('POST', `${base()}/_sim/clock`, { frozen: true })
    const game = await gameServerFor(base(), 3)
    try {
      await call('PUT', `${base()}/_sim/payment-sheet`, { policy: 'confirm' })
      const { outTradeNo, started } = await game.open()
      await call('GET', `${base()}/host/api/payments/${started.sheet.orderNo}/outcome?playerId=player-1`)
      await call('POST', `${base()}/_sim/clock`, { advanceMs: 0 })
      await call('POST', `${base()}/_sim/clock`, { advanceMs: 5 * 60_000 })
      const order = (await call('GET', `${base()}/_sim/orders?appId=${APP}&outTradeNo=${outTradeNo}`)).json.orders[0]
      const paidAt = Date.parse(order.notifications[0].attempts[0].at)
      // Attempts at 0, 15 s, 30 s (failing) and 60 s (the receiver is back): WeChat's schedule.
      expect(order.notifications[0].attempts.map((a: { at: string; outcome: string }) => [Date.parse(a.at) - paidAt, a.outcome])).toEqual([
        [0, 'failure'],
        [15_000, 'failure'],
        [30_000, 'failure'],
        [60_000, 'success'],
      ])
      expect(game.granted).toEqual([outTradeNo])
    } finally {
      await game.close()
    }
  })

  it('fail and cancel policies close the order with their errCode; per-player policies override the global one', async () => {
    await call('POST', `${base()}/_sim/reset`, {})
    const game = await gameServerFor(base())
    try {
      await call('PUT', `${base()}/_sim/payment-sheet`, { policy: 'cancel' })
      await call('PUT', `${base()}/_sim/payment-sheet`, { policy: 'fail', errCode: -2, playerId: 'player-2' })
      expect((await call('GET', `${base()}/_sim/payment-sheet`)).json).toEqual({ global: { policy: 'cancel' }, players: { 'player-2': { policy: 'fail', errCode: -2 } } })
      const one = await game.open('player-1')
      const two = await game.open('player-2')
      const outcomeOf = async (orderNo: string, playerId: string) => (await call('GET', `${base()}/host/api/payments/${orderNo}/outcome?playerId=${playerId}`)).json
      expect(await outcomeOf(one.started.sheet.orderNo, 'player-1')).toMatchObject({ errCode: 1, errMsg: 'requestMidasPaymentGameItem:fail cancel' })
      expect(await outcomeOf(two.started.sheet.orderNo, 'player-2')).toMatchObject({ errCode: -2, errMsg: 'requestMidasPaymentGameItem:fail payment cancelled' })
      await call('DELETE', `${base()}/_sim/payment-sheet`)
      expect((await call('GET', `${base()}/_sim/payment-sheet`)).json.global).toEqual({ policy: 'manual' })
    } finally {
      await game.close()
    }
  })

  it('refuses a clock that goes back and policies that do not fit, changing nothing', async () => {
    await call('POST', `${base()}/_sim/reset`, {})
    const before = (await call('GET', `${base()}/_sim/clock`)).json
    const back = await call('POST', `${base()}/_sim/clock`, { set: '2001-01-01T00:00:00Z' })
    expect(back.status).toBe(409)
    expect(back.json.error.message).toContain('only moves forward')
    for (const bad of [{ advanceMs: -5 }, { advanceMs: 1, set: '2030-01-01T00:00:00Z' }, {}, { tick: 1 }]) {
      expect((await call('POST', `${base()}/_sim/clock`, bad)).status).toBe(400)
    }
    for (const bad of [{ policy: 'maybe' }, { policy: 'confirm', errCode: -1 }, { policy: 'fail', errCode: -15014 }, { policy: 'manual', delayMs: 5 }, { policy: 'confirm', delay: 5000 }]) {
      expect((await call('PUT', `${base()}/_sim/payment-sheet`, bad)).status).toBe(400)
    }
    expect((await call('PUT', `${base()}/_sim/payment-sheet`, { policy: 'confirm', playerId: 'ghost' })).status).toBe(404)
    expect((await call('GET', `${base()}/_sim/payment-sheet`)).json).toEqual({ global: { policy: 'manual' }, players: {} })
    const after = (await call('GET', `${base()}/_sim/clock`)).json
    expect(after.frozen).toBe(before.frozen)
    const moved = (await call('POST', `${base()}/_sim/clock`, { set: '2099-01-01T00:00:00.000Z', frozen: true })).json
    expect(moved.now).toBe('2099-01-01T00:00:00.000Z')
  })
})

describe('the headless host socket', () => {
  it('refuses a SHEET_ANSWER for a sheet the sandbox policy answers', async () => {
    const base = `${sim.url}/sandbox/sock-policy`
    await call('POST', `${base}/_sim/reset`, {})
    await call('POST', `${base}/_sim/clock`, { frozen: true })
    await call('PUT', `${base}/_sim/payment-sheet`, { policy: 'cancel', delayMs: 60_000 })
    const game = (await call('GET', `${base}/_sim/minigames/${APP}`)).json
    const ws = new WebSocket(`${base.replace('http', 'ws')}/host/ws?appId=${APP}&playerId=player-1`)
    const inbox: { type: string; payload: Record<string, unknown> }[] = []
    const waiters: (() => void)[] = []
    ws.on('message', (data) => {
      inbox.push(JSON.parse(String(data)))
      waiters.splice(0).forEach((wake) => wake())
    })
    const next = async (type: string) => {
      for (;;) {
        const found = inbox.findIndex((m) => m.type === type)
        if (found >= 0) return inbox.splice(found, 1)[0]!.payload
        await new Promise<void>((wake) => waiters.push(wake))
      }
    }
    await new Promise((resolve) => ws.once('open', resolve))
    try {
      ws.send(JSON.stringify({ source: 'superapp-sim', type: 'HOST_CALL', payload: { callId: 'l1', api: 'login', params: {} } }))
      const { result } = (await next('HOST_RESULT')) as { result: { code: string } }
      const { session_key } = await createHostClient({ baseUrl: base, appId: APP, appSecret: game.appSecret }).code2Session(result.code)
      const params = signOrder({ appKey: game.appKey, sessionKey: session_key, order: { productId: 'gem_pack_small', goodsPrice: 99, buyQuantity: 1, currencyType: 'USD', outTradeNo: 'SOCKPOLICY1', env: 0 } })
      ws.send(JSON.stringify({ source: 'superapp-sim', type: 'HOST_CALL', payload: { callId: 'p1', api: 'requestMidasPaymentGameItem', params } }))
      const open = (await next('SHEET_OPEN')) as { answeredBy: string; sheet: { orderNo: string } }
      expect(open.answeredBy).toBe('policy')
      ws.send(JSON.stringify({ source: 'superapp-sim', type: 'SHEET_ANSWER', payload: { orderNo: open.sheet.orderNo, answer: 'confirm' } }))
      expect(((await next('PROTOCOL_ERROR')) as { message: string }).message).toContain("answered by the sandbox's sheet policy")
      await call('POST', `${base}/_sim/clock`, { advanceMs: 60_000 })
      expect(((await next('HOST_RESULT')) as { result: unknown }).result).toEqual({ errMsg: 'requestMidasPaymentGameItem:fail cancel', errCode: 1 })
    } finally {
      ws.close()
    }
  })
})

describe('events', () => {
  it('lists since a cursor and streams over a WebSocket from a cursor, in order, once', async () => {
    const base = `${sim.url}/sandbox/evented`
    await call('POST', `${base}/_sim/reset`, {})
    const first = (await call('GET', `${base}/_sim/events?after=0`)).json
    expect(first.events.map((e: { type: string }) => e.type)).toEqual(['sandbox.reset'])
    const cursor = first.cursor
    const stream = new WebSocket(`${base.replace('http', 'ws')}/_sim/events/stream?after=0`)
    const { messages: streamed, received } = collectMessages<{ seq: number; type: string }>(stream)
    await new Promise((resolve) => stream.once('open', resolve))
    const game = await gameServerFor(base)
    try {
      await call('PUT', `${base}/_sim/payment-sheet`, { policy: 'confirm' })
      const { started } = await game.open()
      await call('GET', `${base}/host/api/payments/${started.sheet.orderNo}/outcome?playerId=player-1`)
      await call('POST', `${base}/_sim/clock`, { advanceMs: 0 })
      const later = (await call('GET', `${base}/_sim/events?after=${cursor}`)).json
      const types = later.events.map((e: { type: string }) => e.type)
      expect(types).toEqual(expect.arrayContaining(['order.created', 'order.paid', 'delivery.attempt', 'clock.moved']))
      const deliveries = (await call('GET', `${base}/_sim/events?after=${cursor}&type=delivery.`)).json.events.map((e: { type: string }) => e.type)
      expect(deliveries.length).toBeGreaterThan(0)
      expect(new Set(deliveries)).toEqual(new Set(['delivery.attempt']))
      await received(first.events.length + later.events.length)
      expect(streamed.map((e) => e.seq)).toEqual([...first.events, ...later.events].map((e: { seq: number }) => e.seq))
    } finally {
      stream.close()
      await game.close()
    }
  })
})

describe('fixtures and triggers', () => {
  it('loads a fixture document and resets a sandbox to it; a bad one is refused with the field named', async () => {
    const loaded = await call('PUT', `${sim.url}/_sim/fixtures/two-games`, {
      description: 'a second configured game',
      extends: 'empty',
      clock: { start: '2026-03-01T00:00:00Z', frozen: true },
      players: [{ id: 'qa-1', nickname: 'QA' }],
      games: [{ appId: 'mg00000000000000aa', name: 'Test Game', appKey: 'fixture-app-key-1', items: [{ productId: 'coin', name: 'Coin', price: 10 }] }],
    })
    expect(loaded.status).toBe(201)
    const reset = (await call('POST', `${sim.url}/sandbox/fixtured/_sim/reset`, { fixture: 'two-games' })).json
    expect(reset.clock).toEqual({ now: '2026-03-01T00:00:00.000Z', frozen: true })
    const game = (await call('GET', `${sim.url}/sandbox/fixtured/_sim/minigames/mg00000000000000aa`)).json
    expect(game).toMatchObject({ appKey: 'fixture-app-key-1', paymentPermission: 'approved' })
    // Extends empty: Gem Quest is not set up there.
    expect((await call('GET', `${sim.url}/sandbox/fixtured/_sim/minigames/${APP}`)).json.paymentPermission).toBe('none')
    const bad = await call('PUT', `${sim.url}/_sim/fixtures/broken`, { games: [{ appId: 'mg1', name: 'X', items: [{ productId: 'a', name: 'A', price: -1 }] }] })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toContain('games[0].items[0].price')
    expect((await call('PUT', `${sim.url}/_sim/fixtures/demo`, {})).status).toBe(409)
    expect((await call('GET', `${sim.url}/_sim/fixtures`)).json.fixtures.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['demo', 'empty', 'two-games']))
    // What only a build can see (an unknown team) and repeated ids are refused when loaded, not at the next reset.
    const unknownTeam = await call('PUT', `${sim.url}/_sim/fixtures/bad-team`, { games: [{ appId: 'mg00000000000000cc', name: 'C', team: 'team-nobody' }] })
    expect(unknownTeam.status).toBe(400)
    expect(unknownTeam.json.error.message).toContain('no team "team-nobody"')
    const twice = await call('PUT', `${sim.url}/_sim/fixtures/bad-items`, { games: [{ appId: 'mg00000000000000cc', name: 'C', items: [{ productId: 'a', name: 'A', price: 1 }, { productId: 'a', name: 'B', price: 2 }] }] })
    expect(twice.status).toBe(400)
    expect(twice.json.error.message).toContain('productId "a" appears twice')
    expect((await call('GET', `${sim.url}/_sim/fixtures`)).json.fixtures.map((f: { name: string }) => f.name)).not.toContain('bad-team')
  })

  it('triggers a refund, a resend and a test push', async () => {
    const base = `${sim.url}/sandbox/triggered`
    await call('POST', `${base}/_sim/reset`, {})
    const game = await gameServerFor(base)
    try {
      await call('PUT', `${base}/_sim/payment-sheet`, { policy: 'confirm' })
      const { started, outTradeNo } = await game.open()
      await call('GET', `${base}/host/api/payments/${started.sheet.orderNo}/outcome?playerId=player-1`)
      await call('POST', `${base}/_sim/clock`, { advanceMs: 0 })
      const refund = await call('POST', `${base}/_sim/triggers/refund`, { orderNo: started.sheet.orderNo })
      expect(refund.status).toBe(201)
      expect(refund.json.refund).toMatchObject({ amount: 99, status: 'succeeded' })
      const order = (await call('GET', `${base}/_sim/orders?orderNo=${started.sheet.orderNo}`)).json.orders[0]
      expect(order).toMatchObject({ outTradeNo, statusName: 'refunded' })
      expect(order.notifications.map((n: { kind: string }) => n.kind)).toEqual(['delivery', 'refund'])
      const resend = await call('POST', `${base}/_sim/triggers/resend`, { notificationId: order.notifications[0].id })
      expect(resend.json.attempt.outcome).toBe('success')
      expect(game.granted).toEqual([outTradeNo])
      const push = await call('POST', `${base}/_sim/triggers/test-push`, { appId: APP })
      expect(push.json.attempt.outcome).toBe('success')
      expect((await call('POST', `${base}/_sim/triggers/refund`, { orderNo: 'NOPE' })).status).toBe(404)
    } finally {
      await game.close()
    }
  })
})

describe('loopback only', () => {
  // The machine rule: no traffic to this machine's other addresses. The simulator listens on
  // every interface and reads the client address from a test header (its one injectable
  // boundary, http/clientAddress.ts); every byte goes over 127.0.0.1.
  const DEVICE_HEADER = 'x-test-client-address'
  const remote = { [DEVICE_HEADER]: '192.168.1.31' }

  it('refuses the test-control API (HTTP and WebSocket) to a client that is not on loopback', async () => {
    const open = await startSimulator({ port: 0, host: '0.0.0.0', memory: true, log: () => {}, clientAddress: (req) => (req.headers[DEVICE_HEADER] as string | undefined) ?? req.socket.remoteAddress })
    try {
      const base = `http://127.0.0.1:${open.port}`
      const refused = await call('POST', `${base}/_sim/reset`, {}, remote)
      expect(refused.status).toBe(403)
      expect(refused.json.error.message).toContain('loopback')
      expect((await call('GET', `${base}/_sim/clock`, undefined, remote)).status).toBe(403)
      expect((await call('GET', `${base}/_sim/clock`)).status).toBe(200)
      const ws = new WebSocket(`ws://127.0.0.1:${open.port}/_sim/events/stream`, { headers: remote })
      ws.on('error', () => {})
      const status = await new Promise<number>((resolve) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.once('open', () => resolve(101))
      })
      ws.terminate()
      expect(status).toBe(403)
      // The host's own APIs stay reachable.
      expect((await call('GET', `${base}/host/api/config`, undefined, remote)).status).toBe(200)
    } finally {
      await open.close()
    }
  })
})
