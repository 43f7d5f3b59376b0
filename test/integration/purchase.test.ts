import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { OrderStatus } from '../../simulator/src/store/model'
import { postJson } from '../support/http'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

let stack: Stack
beforeEach(async () => {
  stack = await startStack()
})
afterEach(async () => {
  await stack.close()
})

const snapshot = () => JSON.stringify(stack.sim.store.state)

describe('one purchase over real HTTP: simulator + sample game server', () => {
  it('delivers a paid item to the game server, which grants it once', async () => {
    const player = new ScriptedPlayer(stack)
    const { outTradeNo, orderNo, started, result } = await player.buy('golden_sword')
    expect(started.sheet).toMatchObject({ name: 'Golden Sword', quantity: 1, totalPrice: 299, currency: 'USD', imageUrl: '/media/items/golden_sword.svg' })
    expect(result).toEqual({ errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok', orderNo })

    const inventory = await player.inventory()
    expect(inventory.items).toEqual([{ productId: 'golden_sword', name: 'Golden Sword', quantity: 1 }])
    expect(inventory.grants.map((g) => g.outTradeNo)).toEqual([outTradeNo])

    const order = stack.sim.store.state.orders.find((o) => o.orderNo === orderNo)!
    expect(order).toMatchObject({ status: OrderStatus.DELIVERED, outTradeNo, openid: player.openid, totalPrice: 299 })
    expect(order.paidAt).toBeDefined()
    expect(order.deliveredAt).toBeDefined()
    const notification = stack.sim.store.state.outbox.find((n) => n.orderNo === orderNo)!
    expect(notification.attempts).toHaveLength(1)
    expect(JSON.parse(notification.attempts[0]!.responseBody!)).toMatchObject({ returnCode: '0', data: 'ok' })
  })

  it('sends ZoneId "" when signData has none, and OrigPrice and ActualPrice as the order total for a quantity of 3 (conventions in docs/protocol.md)', async () => {
    const player = new ScriptedPlayer(stack)
    await player.login()
    const signed = await postJson(`${stack.game.url}/api/orders`, { productId: 'golden_sword', quantity: 3 }, { authorization: `Bearer ${player.token}` })
    const { outTradeNo, ...params } = signed.json as { outTradeNo: string; signData: string; paySig: string; signature: string }
    expect(JSON.parse(params.signData)).not.toHaveProperty('zoneId')
    const started = await player.startPayment(params)
    expect(started.json.sheet).toMatchObject({ quantity: 3, totalPrice: 897 })
    await player.answerSheet(started.json.sheet.orderNo, 'confirm')
    await stack.sim.delivery.idle()
    const notification = stack.sim.store.state.outbox.find((n) => n.outTradeNo === outTradeNo)!
    const payload = JSON.parse(JSON.parse(notification.body).Payload)
    expect(payload.GoodsInfo).toMatchObject({ ProductId: 'golden_sword', Quantity: 3, ZoneId: '', OrigPrice: 897, ActualPrice: 897 })
    // The sample server checks the amount against its own order (unit price × quantity) and grants 3.
    expect((await player.inventory()).items).toEqual([{ productId: 'golden_sword', name: 'Golden Sword', quantity: 3 }])
  })

  it('cancelling the sheet closes the order, sends nothing and grants nothing', async () => {
    const player = new ScriptedPlayer(stack)
    const { orderNo, result } = await player.buy('gem_pack_small', 'cancel')
    expect(result).toMatchObject({ errCode: ErrCode.USER_CANCELLED, errMsg: 'requestMidasPaymentGameItem:fail cancel' })
    expect(stack.sim.store.state.orders.find((o) => o.orderNo === orderNo)!.status).toBe(OrderStatus.CLOSED)
    expect(stack.sim.store.state.outbox).toHaveLength(0)
    expect((await player.inventory()).items).toEqual([])
  })

  it('refuses an unreleased item with -15013 and creates no order', async () => {
    const player = new ScriptedPlayer(stack)
    const { started } = await player.buy('dragon_egg')
    expect(started).toMatchObject({ ok: false, errCode: ErrCode.ITEM_NOT_RELEASED })
    expect(started.errMsg).toMatch(/^requestMidasPaymentGameItem:fail /)
    expect(stack.sim.store.state.orders).toHaveLength(0)
  })

  it('refuses a reused outTradeNo (-15003 open, -15007 paid) and a second sheet while one is open (2)', async () => {
    const player = new ScriptedPlayer(stack)
    await player.login()
    const { outTradeNo: _unused, ...params } = await player.signedOrder('swift_boots')
    const first = await player.startPayment(params)
    expect(first.json.ok).toBe(true)
    expect((await player.startPayment(params)).json.errCode).toBe(ErrCode.DUPLICATE_ORDER)
    const { outTradeNo: _other, ...otherParams } = await player.signedOrder('gem_chest')
    expect((await player.startPayment(otherParams)).json.errCode).toBe(ErrCode.PAYMENT_IN_PROGRESS)
    await player.answerSheet(first.json.sheet.orderNo, 'confirm')
    await stack.sim.delivery.idle()
    expect((await player.startPayment(params)).json.errCode).toBe(ErrCode.ORDER_ALREADY_PAID)
  })

  it('refuses a signature made before the player logged in again with -15015', async () => {
    const player = new ScriptedPlayer(stack)
    await player.login()
    const { outTradeNo: _unused, ...params } = await player.signedOrder('swift_boots')
    await player.login() // a new session_key replaces the one that signed `params`
    expect((await player.startPayment(params)).json.errCode).toBe(ErrCode.SESSION_KEY_EXPIRED)
  })

  it('answers bad input to the host API with 4xx and changes nothing stored', async () => {
    const player = new ScriptedPlayer(stack)
    await player.login()
    const before = snapshot()
    const sim = stack.sim.url
    const cases = [
      await postJson(`${sim}/host/api/payments`, '{not json'),
      await postJson(`${sim}/host/api/payments`, { appId: 'x' }),
      await postJson(`${sim}/host/api/payments`, { appId: 1, playerId: [], params: 'no' }),
      await postJson(`${sim}/host/api/payments/SIMNOPE/confirm`, { playerId: 'player-1' }),
      await postJson(`${sim}/host/api/payments/bad%20no/confirm`, { playerId: 'player-1' }),
      await postJson(`${sim}/host/api/login`, { appId: 'unknown', playerId: 'player-1' }),
      await postJson(`${sim}/host/api/login`, { playerId: 'player-1' }),
      await postJson(`${sim}/host/api/payments`, 'x'.repeat(64 * 1024)),
    ]
    for (const response of cases) {
      expect(response.status, response.text).toBeGreaterThanOrEqual(400)
      expect(response.status, response.text).toBeLessThan(500)
      expect(typeof response.json.error.code).toBe('string')
      expect(response.json.error.message.length).toBeGreaterThan(5)
    }
    expect(snapshot()).toBe(before)
  })

  it('answers a payment confirmed twice with 409 and sends one notification', async () => {
    const player = new ScriptedPlayer(stack)
    const { orderNo } = await player.buy('gem_chest')
    const again = await player.answerSheet(orderNo!, 'confirm')
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('CONFLICT')
    expect(stack.sim.store.state.outbox).toHaveLength(1)
  })
})

describe('jscode2session', () => {
  const exchange = (query: Record<string, string>) =>
    fetch(`${stack.sim.url}/sns/jscode2session?${new URLSearchParams(query)}`).then(async (r) => ({ status: r.status, json: (await r.json()) as any }))

  it('exchanges a code once, in WeChat shape, and refuses it the second time', async () => {
    const { json: code } = await postJson(`${stack.sim.url}/host/api/login`, { appId: 'mg5a3f9c2e71d04b88', playerId: 'player-2' })
    const query = { appid: 'mg5a3f9c2e71d04b88', secret: 'demo-app-secret-3b1f6a0c9d2e4f57', js_code: code.code, grant_type: 'authorization_code' }
    const first = await exchange(query)
    expect(first.status).toBe(200)
    expect(first.json.openid).toMatch(/^o[\w-]{27}$/)
    expect(Buffer.from(first.json.session_key, 'base64')).toHaveLength(16)
    const second = await exchange(query)
    expect(second.status).toBe(200)
    expect(second.json).toMatchObject({ errcode: 40163, errmsg: expect.stringMatching(/^code been used/) })
  })

  it('refuses a wrong secret and a malformed query in WeChat shape, without a 500', async () => {
    const wrongSecret = await exchange({ appid: 'mg5a3f9c2e71d04b88', secret: 'nope', js_code: 'x', grant_type: 'authorization_code' })
    expect(wrongSecret.status).toBe(200)
    expect(wrongSecret.json.errcode).toBe(40125)
    const malformed = await exchange({ appid: 'mg5a3f9c2e71d04b88' })
    expect(malformed.status).toBe(200)
    expect(malformed.json.errcode).toBe(41004)
  })
})
