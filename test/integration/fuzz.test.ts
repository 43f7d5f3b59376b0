import express from 'express'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { serializeSignData } from '@superapp-sim/game-sdk'
import { createDeliveryHandler } from '@superapp-sim/game-sdk/server'
import { buildDeliveryNotification } from '@superapp-sim/game-sdk'
import { signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { ConsoleClient } from '../support/console'
import { listen, postJson } from '../support/http'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

/**
 * Generated bad input against every public endpoint and host call: never a 5xx, never a
 * crash, never a change to the store; signatures altered at random bytes are refused.
 * FUZZ_RUNS sets the inputs per property (100 by default, kept short for npm test).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100)
const ALL_ERRCODES = new Set<number>(Object.values(ErrCode))

let stack: Stack
let mpadmin: ConsoleClient
let superadmin: ConsoleClient
let sessionKey = ''
beforeAll(async () => {
  stack = await startStack()
  mpadmin = await ConsoleClient.login(stack, 'mpadmin')
  superadmin = await ConsoleClient.login(stack, 'superadmin')
  const player = new ScriptedPlayer(stack)
  await player.login()
  sessionKey = stack.sim.store.state.sessions.find((s) => s.playerId === 'player-1')!.sessionKey
})
afterAll(async () => {
  await stack.close()
})

const snapshot = () => JSON.stringify(stack.sim.store.state)
/** Any JSON value, biased to the shapes our schemas look at. */
const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('appId', 'playerId', 'params', 'message', 'url', 'testUrl', 'notificationsEnabled', 'reason', 'username', 'password', 'signData'), fc.jsonValue()),
)

async function expectNo5xxAndUnchanged(send: () => Promise<{ status: number; text?: string; json?: unknown }>) {
  const before = snapshot()
  const reply = await send()
  expect(reply.status, JSON.stringify(reply.json ?? reply.text)).toBeLessThan(500)
  if (reply.status >= 400) expect(snapshot()).toBe(before)
  return reply
}

describe('generated bad input', () => {
  it('host payment call: any params give a known errCode or a 4xx, and no order', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('signData', 'paySig', 'signature', 'extra'), fc.oneof(fc.string(), fc.jsonValue())), async (params) => {
        const before = snapshot()
        const reply = await postJson(`${stack.sim.url}/host/api/payments`, { appId: DEMO_GAME.appId, playerId: 'player-1', params })
        expect(reply.status).toBeLessThan(500)
        if (reply.status === 200) {
          expect(reply.json.ok).toBe(false)
          expect(ALL_ERRCODES.has(reply.json.errCode)).toBe(true)
        }
        expect(snapshot()).toBe(before)
      }),
      { numRuns: RUNS },
    )
  })

  it('host payment call: a correctly signed order altered at one random byte is refused', { timeout: 120_000 }, async () => {
    const signData = serializeSignData({ productId: 'golden_sword', goodsPrice: 299, buyQuantity: 1, currencyType: 'USD', outTradeNo: 'FUZZ1' })
    const good = { signData, paySig: signPaySig(DEMO_GAME.appKey, signData), signature: signUserSignature(sessionKey, signData) }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('signData', 'paySig', 'signature'), fc.nat(), fc.integer({ min: 1, max: 127 }), async (field, position, delta) => {
        const value = good[field as keyof typeof good]
        const at = position % value.length
        const altered = value.slice(0, at) + String.fromCharCode(((value.charCodeAt(at) + delta) % 95) + 32) + value.slice(at + 1)
        fc.pre(altered !== value)
        const before = snapshot()
        const reply = await postJson(`${stack.sim.url}/host/api/payments`, { appId: DEMO_GAME.appId, playerId: 'player-1', params: { ...good, [field]: altered } })
        expect(reply.status).toBe(200)
        expect(reply.json.ok).toBe(false)
        expect(snapshot()).toBe(before)
      }),
      { numRuns: RUNS },
    )
  })

  it('console routes: any body gives no 5xx, and a refusal changes nothing', { timeout: 180_000 }, async () => {
    const routes: [ConsoleClient, string, string][] = [
      [mpadmin, 'POST', '/session'],
      [mpadmin, 'POST', `/minigames/${STAR_DRIFT_APP_ID}/payment/requests`],
      [mpadmin, 'PUT', `/minigames/${STAR_DRIFT_APP_ID}/delivery-config`],
      [mpadmin, 'POST', `/minigames/${DEMO_GAME.appId}/exemption/requests`],
      [mpadmin, 'POST', `/minigames/${DEMO_GAME.appId}/delivery-config/check-endpoint`],
      [superadmin, 'POST', '/approvals/A000001/reject'],
      [superadmin, 'POST', `/minigames/${DEMO_GAME.appId}/exemption/revoke`],
    ]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(anyJson, fc.string()), async ([client, method, path], body) => {
        await expectNo5xxAndUnchanged(() => client.call(method, path, typeof body === 'string' ? body : JSON.stringify(body)))
      }),
      { numRuns: RUNS },
    )
  })

  it('query strings and path segments: no 5xx anywhere', { timeout: 120_000 }, async () => {
    const paths = ['/sns/jscode2session', '/cgi-bin/token', '/host/api/orders', '/host/api/payments/X/confirm', '/console/api/v1/approvals', '/_sim/minigames/x/faults']
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 })), fc.string({ maxLength: 30 }), async (path, query, segment) => {
        const url = `${stack.sim.url}${path.replace('X', encodeURIComponent(segment) || 'x')}?${new URLSearchParams(query)}`
        await expectNo5xxAndUnchanged(async () => {
          const response = await fetch(url, { method: path.includes('confirm') ? 'POST' : 'GET', headers: { authorization: `Bearer ${superadmin.token}` } })
          return { status: response.status, text: await response.text() }
        })
      }),
      { numRuns: RUNS },
    )
  })

  it('xpay: any body and pay_sig give no 5xx and change nothing', { timeout: 120_000 }, async () => {
    const token = ((await (await fetch(`${stack.sim.url}/cgi-bin/token?grant_type=client_credential&appid=${DEMO_GAME.appId}&secret=${DEMO_GAME.appSecret}`)).json()) as { access_token: string }).access_token
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson.map((j) => JSON.stringify(j)), fc.string()), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 70 }), async (body, paySig) => {
        await expectNo5xxAndUnchanged(() => postJson(`${stack.sim.url}/xpay/notify_provide_goods?access_token=${token}&pay_sig=${paySig}`, body))
      }),
      { numRuns: RUNS },
    )
  })
})

describe('the SDK delivery handler under generated input', () => {
  let url = ''
  let grants = 0
  let close = async () => {}
  beforeAll(async () => {
    const app = express()
    app.post('/d', createDeliveryHandler({ appKey: 'fuzz-key', deliver: () => void grants++ }))
    const server = await listen(app)
    url = `${server.url}/d`
    close = server.close
  })
  afterAll(() => close())

  it('refuses any body that is not a correctly signed notification, granting nothing', { timeout: 120_000 }, async () => {
    const valid = buildDeliveryNotification('fuzz-key', {
      OpenId: 'o',
      Env: '0',
      OutTradeNo: 'FUZZ',
      GoodsInfo: { ProductId: 'p', Quantity: 1, ZoneId: '', OrigPrice: 1, ActualPrice: 1, Attach: '', OrderSource: 1 },
    })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson.map((j) => JSON.stringify(j)),
          fc.tuple(fc.nat(), fc.integer({ min: 1, max: 94 })).map(([position, delta]) => {
            const at = position % valid.length
            return valid.slice(0, at) + String.fromCharCode(((valid.charCodeAt(at) - 32 + delta) % 95) + 32) + valid.slice(at + 1)
          }),
        ),
        async (body) => {
          fc.pre(body !== valid)
          const reply = await postJson(url, body)
          // SAS signs Event & Payload: a body may be accepted only when those and the signature are
          // exactly the valid one's (other envelope keys are unsigned, and nothing is read from them).
          const signedParts = (text: string) => {
            const { EventType, Event, Payload, PayEventSig } = JSON.parse(text)
            return { EventType, Event, Payload, PayEventSig }
          }
          if (reply.status === 200) expect(signedParts(body)).toEqual(signedParts(valid))
          else expect(reply.status).toBeLessThan(500)
          expect(grants).toBeLessThanOrEqual(1)
        },
      ),
      { numRuns: RUNS * 3 },
    )
  })
})
