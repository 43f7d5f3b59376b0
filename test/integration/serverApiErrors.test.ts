import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GameSdkError } from '@superapp-sim/game-sdk'
import { createHostClient } from '@superapp-sim/game-sdk/server'
import { signServerApi } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { ManualClock } from '../../simulator/src/clock'
import { postJson } from '../support/http'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

/**
 * The host's server APIs refuse in WeChat's shape: HTTP 200 with a non-zero errcode and an
 * errmsg, the published code where WeChat has one (issue 17 item 1). The codes are written
 * here as literals, from WeChat's pages, not imported from the code under test.
 */
let stack: Stack
let clock: ManualClock
beforeAll(async () => {
  clock = new ManualClock(Date.now())
  stack = await startStack({ simulator: { clock } })
})
afterAll(async () => {
  await stack.close()
})

const APPID = DEMO_GAME.appId
const SECRET = DEMO_GAME.appSecret

async function get(path: string, query: Record<string, string>) {
  const response = await fetch(`${stack.sim.url}${path}?${new URLSearchParams(query)}`)
  return { status: response.status, json: (await response.json()) as { errcode?: number; errmsg?: string; [key: string]: unknown } }
}

async function freshCode(playerId = 'player-1'): Promise<string> {
  return (await postJson(`${stack.sim.url}/host/api/login`, { appId: APPID, playerId })).json.code
}

const login = (query: Record<string, string>) => get('/sns/jscode2session', query)
const token = (query: Record<string, string>) => get('/cgi-bin/token', query)

function expectRefusal(reply: { status: number; json: { errcode?: number; errmsg?: string } }, errcode: number, errmsg: RegExp) {
  expect(reply.status, JSON.stringify(reply.json)).toBe(200)
  expect(reply.json.errcode).toBe(errcode)
  expect(reply.json.errmsg).toMatch(errmsg)
}

describe('GET /sns/jscode2session refuses with WeChat errcodes and HTTP 200', () => {
  it('answers a good exchange without errcode, and the same code again with 40163 (code been used)', async () => {
    const query = { appid: APPID, secret: SECRET, js_code: await freshCode(), grant_type: 'authorization_code' }
    const first = await login(query)
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({ openid: expect.any(String), session_key: expect.any(String) })
    expectRefusal(await login(query), 40163, /^code been used/)
  })

  it('refuses an unknown code (40029), an expired one (40029), an unknown appid (40013) and a wrong secret (40125)', async () => {
    expectRefusal(await login({ appid: APPID, secret: SECRET, js_code: 'nosuchcode', grant_type: 'authorization_code' }), 40029, /^invalid code/)
    const stale = await freshCode()
    clock.advance(5 * 60 * 1000 + 1)
    expectRefusal(await login({ appid: APPID, secret: SECRET, js_code: stale, grant_type: 'authorization_code' }), 40029, /^invalid code/)
    expectRefusal(await login({ appid: 'mgnosuchgame', secret: SECRET, js_code: 'x', grant_type: 'authorization_code' }), 40013, /^invalid appid/)
    expectRefusal(await login({ appid: APPID, secret: 'wrong', js_code: 'x', grant_type: 'authorization_code' }), 40125, /^invalid appsecret/)
  })

  it('names the missing or wrong query parameter with its own code', async () => {
    expectRefusal(await login({ secret: SECRET, js_code: 'x', grant_type: 'authorization_code' }), 41002, /^appid missing/)
    expectRefusal(await login({ appid: APPID, js_code: 'x', grant_type: 'authorization_code' }), 41004, /^appsecret missing/)
    expectRefusal(await login({ appid: APPID, secret: SECRET, grant_type: 'authorization_code' }), 41008, /^missing code/)
    expectRefusal(await login({ appid: APPID, secret: SECRET, js_code: 'x', grant_type: 'client_credential' }), 40002, /^invalid grant_type/)
  })
})

describe('GET /cgi-bin/token refuses with WeChat errcodes and HTTP 200', () => {
  it('refuses an unknown appid (40013), a wrong secret (40001), a wrong grant_type (40002) and a missing appid (41002)', async () => {
    expectRefusal(await token({ grant_type: 'client_credential', appid: 'mgnosuchgame', secret: SECRET }), 40013, /^invalid appid/)
    expectRefusal(await token({ grant_type: 'client_credential', appid: APPID, secret: 'wrong' }), 40001, /^invalid credential/)
    expectRefusal(await token({ grant_type: 'authorization_code', appid: APPID, secret: SECRET }), 40002, /^invalid grant_type/)
    expectRefusal(await token({ grant_type: 'client_credential', secret: SECRET }), 41002, /^appid missing/)
  })
})

describe('POST /xpay/* refuses with WeChat errcodes and HTTP 200', () => {
  let accessToken = ''
  let paid: { outTradeNo: string; openid: string }
  beforeAll(async () => {
    accessToken = String((await token({ grant_type: 'client_credential', appid: APPID, secret: SECRET })).json.access_token)
    const player = new ScriptedPlayer(stack)
    const { outTradeNo } = await player.buy('gem_chest')
    paid = { outTradeNo: outTradeNo!, openid: player.openid }
  })

  /** A signed call, unless `paySig` is given; `rawBody` is sent as it is. */
  async function xpay(path: string, body: unknown, options: { paySig?: string; accessToken?: string | null; rawBody?: string } = {}) {
    const raw = options.rawBody ?? JSON.stringify(body)
    const query: Record<string, string> = {}
    const tokenValue = options.accessToken === undefined ? accessToken : options.accessToken
    if (tokenValue !== null) query.access_token = tokenValue
    query.pay_sig = options.paySig ?? signServerApi(DEMO_GAME.appKey, path, raw)
    const response = await fetch(`${stack.sim.url}${path}?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw })
    return { status: response.status, json: (await response.json()) as { errcode?: number; errmsg?: string } }
  }

  it('refuses a pay_sig over other bytes, and a malformed one, with 268490003 (signature error)', async () => {
    const body = { order_id: paid.outTradeNo }
    expectRefusal(await xpay('/xpay/query_order', body, { paySig: signServerApi(DEMO_GAME.appKey, '/xpay/query_order', '{"order_id":"other"}') }), 268490003, /pay_sig/)
    expectRefusal(await xpay('/xpay/query_order', body, { paySig: 'zz' }), 268490003, /pay_sig/)
  })

  it('refuses a missing (41001), unknown (40001) or expired (42001) access_token', async () => {
    const body = { order_id: paid.outTradeNo }
    expectRefusal(await xpay('/xpay/query_order', body, { accessToken: null }), 41001, /^access_token missing/)
    expectRefusal(await xpay('/xpay/query_order', body, { accessToken: 'not-a-token' }), 40001, /^invalid credential/)
    const shortLived = String((await token({ grant_type: 'client_credential', appid: APPID, secret: SECRET })).json.access_token)
    clock.advance(7200 * 1000 + 1)
    expectRefusal(await xpay('/xpay/query_order', body, { accessToken: shortLived }), 42001, /^access_token expired/)
    accessToken = String((await token({ grant_type: 'client_credential', appid: APPID, secret: SECRET })).json.access_token)
  })

  it('refuses a body that is not JSON or breaks the field rules with 268490002 (parameter error)', async () => {
    expectRefusal(await xpay('/xpay/query_order', undefined, { rawBody: 'not json' }), 268490002, /not valid JSON/)
    expectRefusal(await xpay('/xpay/query_order', { openid: 'x' }), 268490002, /order_id/)
    expectRefusal(await xpay('/xpay/refund_order', { openid: paid.openid, order_id: paid.outTradeNo, refund_order_id: 'short', left_fee: 1, refund_fee: 1 }), 268490002, /refund_order_id/)
  })

  it('refuses an unknown order with 268490002, and another player\'s openid with 268490001 (openid error)', async () => {
    expectRefusal(await xpay('/xpay/query_order', { order_id: 'NOSUCHORDER' }), 268490002, /no order NOSUCHORDER/)
    expectRefusal(await xpay('/xpay/query_order', { order_id: paid.outTradeNo, openid: 'oSomeoneElse' }), 268490001, /openid/)
    const refund = { openid: 'oSomeoneElse', order_id: paid.outTradeNo, refund_order_id: 'REFUND-0001', left_fee: 999, refund_fee: 1 }
    expectRefusal(await xpay('/xpay/refund_order', refund), 268490001, /openid/)
  })

  it('refuses a refund whose left_fee is not the order\'s with 268490016, and a refund_fee above it with 268490002', async () => {
    const refund = { openid: paid.openid, order_id: paid.outTradeNo, refund_order_id: 'REFUND-0002' }
    expectRefusal(await xpay('/xpay/refund_order', { ...refund, left_fee: 1, refund_fee: 1 }), 268490016, /left_fee 1 is not/)
    const queried = await xpay('/xpay/query_order', { order_id: paid.outTradeNo })
    const left = (queried.json as { order: { left_fee: number } }).order.left_fee
    expectRefusal(await xpay('/xpay/refund_order', { ...refund, left_fee: left, refund_fee: left + 1 }), 268490002, /refund_fee must be in/)
  })

  it('refuses notify_provide_goods for an order that is not paid with 268490002', async () => {
    const player = new ScriptedPlayer(stack, 'player-2')
    await player.login()
    const signed = await player.signedOrder('gem_chest')
    await player.startPayment({ signData: signed.signData, paySig: signed.paySig, signature: signed.signature })
    expectRefusal(await xpay('/xpay/notify_provide_goods', { order_id: signed.outTradeNo }), 268490002, /not paid/)
  })
})

describe("game-sdk's host client reads the errcode", () => {
  it('throws HOST_API_ERROR carrying the errcode and errmsg of a refusal', async () => {
    const host = createHostClient({ baseUrl: stack.sim.url, appId: APPID, appSecret: SECRET, appKey: DEMO_GAME.appKey })
    const code = await freshCode()
    await host.code2Session(code)
    const used = await host.code2Session(code).catch((error: unknown) => error)
    expect(used).toBeInstanceOf(GameSdkError)
    expect(used).toMatchObject({ code: 'HOST_API_ERROR', errcode: 40163 })
    expect((used as Error).message).toMatch(/\/sns\/jscode2session failed with errcode 40163: code been used/)

    const unknown = await host.xpay('/xpay/query_order', { order_id: 'NOSUCHORDER' }).catch((error: unknown) => error)
    expect(unknown).toMatchObject({ code: 'HOST_API_ERROR', errcode: 268490002 })

    const wrongKey = createHostClient({ baseUrl: stack.sim.url, appId: APPID, appSecret: SECRET, appKey: 'not-the-app-key' })
    expect(await wrongKey.xpay('/xpay/query_order', { order_id: 'X' }).catch((error: unknown) => error)).toMatchObject({ code: 'HOST_API_ERROR', errcode: 268490003 })
  })
})
