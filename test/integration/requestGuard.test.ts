import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGameServer, type TestGameServer } from '@superapp-sim/game-sdk/testing'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { ConsoleClient } from '../support/console'
import { send } from '../support/http'
import { startStack, type Stack } from '../support/stack'

/**
 * Who may talk to the project's HTTP servers (docs/security.md): a Host that is not a
 * loopback name or a configured one is refused (DNS rebinding), a state-changing request
 * from a foreign page is refused (cross-site requests), and JSON routes take
 * application/json only, a body that does not parse being a 400, never a default.
 */

let stack: Stack
let gameServer: TestGameServer
let allowing: RunningSimulator

beforeAll(async () => {
  stack = await startStack()
  gameServer = await startTestGameServer({ hostUrl: stack.sim.url, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret, appKey: DEMO_GAME.appKey, prices: {} })
  allowing = await startSimulator({ port: 0, memory: true, log: () => {}, allowedHosts: ['sim.test', '.team.test'] })
})
afterAll(async () => {
  await gameServer?.close()
  await allowing?.close()
  await stack?.close()
})

/** Writes raw bytes to the server and reads everything it answers until it closes. */
function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes))
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
  })
}

const generationOf = async (sim: RunningSimulator) => (await send(sim.url, 'GET', '/_sim/sandbox')).json.generation as number

describe('Host', () => {
  it('refuses a Host that is not a loopback name: no AppKey or AppSecret to a rebound DNS name', async () => {
    const { port } = new URL(stack.sim.url)
    const reply = await send(stack.sim.url, 'GET', `/_sim/minigames/${DEMO_GAME.appId}`, { host: `attacker.example:${port}` })
    expect(reply.status).toBe(403)
    expect(reply.json.error.code).toBe('FORBIDDEN')
    expect(reply.json.error.message).toContain('--allowed-host attacker.example')
    expect(reply.text).not.toContain(DEMO_GAME.appSecret)
    expect(reply.text).not.toContain(DEMO_GAME.appKey)
  })

  it('refuses a foreign Host on every route and page, and answers the loopback names', async () => {
    const { port } = new URL(stack.sim.url)
    for (const path of ['/host/', '/console/api/v1/permissions', '/host/api/config', '/sns/jscode2session', '/nowhere']) {
      expect((await send(stack.sim.url, 'GET', path, { host: `rebound.example:${port}` })).status, path).toBe(403)
    }
    for (const host of [`localhost:${port}`, `app.localhost:${port}`, `127.0.0.1:${port}`, `127.3.2.1:${port}`, `[::1]:${port}`, 'localhost', 'LOCALHOST.']) {
      expect((await send(stack.sim.url, 'GET', '/host/api/config', { host })).status, host).toBe(200)
    }
    for (const host of ['localhost.attacker.example', '127.0.0.1.nip.io', 'evil@localhost', 'localhost/x', '0.0.0.0']) {
      expect((await send(stack.sim.url, 'GET', '/host/api/config', { host })).status, host).toBe(403)
    }
    // HTTP/1.0 without a Host header at all (a Node client always adds one).
    const bare = await rawExchange(stack.sim.url, 'GET /host/api/config HTTP/1.0\r\n\r\n')
    expect(bare).toMatch(/^HTTP\/1\.1 403/)
  })

  it('answers a host the user allowed (a name, or a domain with its subdomains)', async () => {
    const { port } = new URL(allowing.url)
    for (const host of [`sim.test:${port}`, `team.test:${port}`, `qa.team.test:${port}`]) {
      expect((await send(allowing.url, 'GET', '/host/api/config', { host })).status, host).toBe(200)
    }
    expect((await send(allowing.url, 'GET', '/host/api/config', { host: `other.test:${port}` })).status).toBe(403)
  })

  it('guards the sample game server and the scenario test game server the same way', async () => {
    const game = new URL(stack.game.url)
    const refused = await send(stack.game.url, 'GET', '/api/shop', { host: `attacker.example:${game.port}` })
    expect(refused.status).toBe(403)
    expect(refused.json.error.message).toContain('--allowed-host attacker.example')
    expect((await send(stack.game.url, 'GET', '/api/shop', { host: `localhost:${game.port}` })).status).toBe(200)
    const scenario = new URL(gameServer.url)
    expect((await send(gameServer.url, 'GET', '/inventory/x', { host: `attacker.example:${scenario.port}` })).status).toBe(403)
    expect((await send(gameServer.url, 'GET', '/inventory/x', { host: `127.0.0.1:${scenario.port}` })).status).toBe(200)
  })
})

describe('Origin', () => {
  it('refuses a reset sent by a foreign page as text/plain (a cross-site form post), and resets nothing', async () => {
    const before = await generationOf(stack.sim)
    const reply = await send(stack.sim.url, 'POST', '/_sim/reset', { 'content-type': 'text/plain', origin: 'http://evil.example' }, '{"fixture":"empty"}')
    expect(reply.status).toBe(403)
    expect(reply.json.error.message).toContain('http://evil.example')
    expect(await generationOf(stack.sim)).toBe(before)
  })

  it("refuses every state-changing method from a foreign page, even with a valid JSON body; lets the server's own pages and non-browsers through", async () => {
    const { port } = new URL(stack.sim.url)
    const json = { 'content-type': 'application/json' }
    for (const origin of ['http://evil.example', 'null', `http://localhost:${Number(port) + 1}`, 'file://']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const reply = await send(stack.sim.url, method, '/_sim/reset', { ...json, origin }, '{}')
        expect(reply.status, `${method} from ${origin}`).toBe(403)
      }
    }
    const before = await generationOf(stack.sim)
    expect((await send(stack.sim.url, 'POST', '/_sim/reset', { ...json, origin: `http://localhost:${port}` }, '{}')).status).toBe(200)
    expect((await send(stack.sim.url, 'POST', '/_sim/reset', { ...json, origin: `http://127.0.0.1:${port}` }, '{}')).status).toBe(200)
    expect((await send(stack.sim.url, 'POST', '/_sim/reset', json, '{}')).status).toBe(200)
    expect(await generationOf(stack.sim)).toBe(before + 3)
    // Reading is not refused: the browser keeps a foreign page from reading the answer (no CORS headers).
    const read = await send(stack.sim.url, 'GET', '/host/api/config', { origin: 'http://evil.example' })
    expect(read.status).toBe(200)
    expect(read.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses changes from a foreign page on the sample game server and the test game server', async () => {
    const json = { 'content-type': 'application/json', origin: 'http://evil.example' }
    expect((await send(stack.game.url, 'PUT', '/api/demo/receiver', json, '{"mode":"down"}')).status).toBe(403)
    expect((await send(stack.game.url, 'GET', '/api/demo/receiver')).json.mode).toBe('ok')
    expect((await send(gameServer.url, 'POST', '/login', json, '{"code":"x"}')).status).toBe(403)
    // The game's own page (its origin) still logs in and orders.
    const own = { 'content-type': 'application/json', origin: stack.game.url }
    expect((await send(stack.game.url, 'POST', '/api/login', own, '{"code":"not-a-code"}')).status).toBe(502)
  })
})

describe('JSON bodies', () => {
  /** One JSON route of each API: none may run on a body that is not JSON. */
  const routes = () => [
    { base: stack.sim.url, path: '/_sim/reset' },
    { base: stack.sim.url, path: '/_sim/clock' },
    { base: stack.sim.url, path: '/host/api/login' },
    { base: stack.sim.url, path: '/console/api/v1/session' },
    { base: stack.game.url, path: '/api/login' },
    { base: gameServer.url, path: '/login' },
  ]

  it('answers 415 for another content type, or a body without one, naming application/json', async () => {
    for (const { base, path } of routes()) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/ld+json', 'text/json']) {
        const reply = await send(base, 'POST', path, { 'content-type': type }, '{"fixture":"demo"}')
        expect(reply.status, `${path} as ${type}`).toBe(415)
        expect(reply.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
        expect(reply.json.error.message).toContain('application/json')
      }
      expect((await send(base, 'POST', path, {}, '{"fixture":"demo"}')).status, `${path} without a type`).toBe(415)
    }
  })

  it('answers 400 for a body that says JSON but is empty or does not parse', async () => {
    for (const { base, path } of routes()) {
      for (const body of ['', '{', 'fixture=demo', '"demo"', '{"fixture":"demo"}}']) {
        const reply = await send(base, 'POST', path, { 'content-type': 'application/json' }, body)
        expect(reply.status, `${path} with ${JSON.stringify(body)}`).toBe(400)
        expect(reply.json.error.code).toBe('VALIDATION_FAILED')
      }
    }
  })

  it('refuses such bodies on the xpay routes as WeChat does: HTTP 200, errcode 47001 (type) or 268490002 (parse), nothing run', async () => {
    // The server API answers every refusal with HTTP 200 and errcode/errmsg (docs/protocol.md);
    // the body is refused before the access token or the signature is looked at.
    const path = `/xpay/query_order?access_token=x&pay_sig=${'0'.repeat(64)}`
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/json']) {
      const reply = await send(stack.sim.url, 'POST', path, { 'content-type': type }, '{}')
      expect(reply.status, type).toBe(200)
      expect(reply.json, type).toMatchObject({ errcode: 47001, errmsg: expect.stringContaining('application/json') })
    }
    for (const body of ['', '{', '"demo"', '{"order_id":"x"}}']) {
      const reply = await send(stack.sim.url, 'POST', path, { 'content-type': 'application/json' }, body)
      expect(reply.status, JSON.stringify(body)).toBe(200)
      expect(reply.json.errcode, JSON.stringify(body)).toBe(268490002)
    }
  })

  it('does not run check-endpoint on a body that is not JSON', async () => {
    const mpadmin = await ConsoleClient.login(stack, 'mpadmin')
    const path = `/console/api/v1/minigames/${DEMO_GAME.appId}/delivery-config/check-endpoint`
    const reply = await send(stack.sim.url, 'POST', path, { 'content-type': 'text/plain', authorization: `Bearer ${mpadmin.token}` }, 'orderNo=X')
    expect(reply.status).toBe(415)
    expect(reply.json.results).toBeUndefined()
    // The same request as JSON runs the checks.
    const checked = await send(stack.sim.url, 'POST', path, { 'content-type': 'application/json', authorization: `Bearer ${mpadmin.token}` }, '{}')
    expect(checked.status).toBe(200)
    expect(checked.json.results).toEqual(expect.any(Array))
  })

  it('leaves a request without a body to the route: a reset with no body resets to the demo fixture', async () => {
    const before = await generationOf(stack.sim)
    const reply = await send(stack.sim.url, 'POST', '/_sim/reset')
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({ fixture: 'demo', generation: before + 1 })
  })
})

describe('generated junk to POST /_sim/reset', () => {
  const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON')
  const otherType = fc.oneof(
    fc.constantFrom('text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', 'application/xml', 'application/ld+json', 'application/json-patch+json', 'application/jsonl', 'text/json', ''),
    fc.constantFrom('application/json; charset=latin1', 'application/json; charset=utf-16'),
    fc.stringMatching(/^[a-z]{1,10}\/[a-z0-9.+-]{1,20}$/).filter((type) => type !== 'application/json'),
  )
  const anyBody = fc.oneof(fc.string(), fc.json(), fc.constant('{"fixture":"empty"}'), fc.constant('{}'), fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)))
  /** JSON that is never a valid reset: not an object, not JSON at all, an unknown key, or a fixture that is not a name. */
  const badJson = fc.oneof(
    fc.string().filter((text) => {
      try {
        const value: unknown = JSON.parse(text)
        return typeof value !== 'object' || value === null || Array.isArray(value)
      } catch {
        return true
      }
    }),
    fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => JSON.stringify(value)),
    fc.dictionary(fc.string({ minLength: 1 }).filter((key) => key !== 'fixture'), fc.jsonValue(), { minKeys: 1 }).map((value) => JSON.stringify(value)),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant(''), fc.array(fc.string()), fc.string({ minLength: 65 })).map((fixture) => JSON.stringify({ fixture })),
  )
  const junk = fc.oneof(
    fc.record({ type: otherType.map((type): string | undefined => type), body: anyBody }),
    fc.record({ type: fc.constant(undefined), body: anyBody.filter((body) => body.length > 0) }),
    fc.record({ type: jsonType.map((type): string | undefined => type), body: badJson }),
  )

  it('refuses 1,000 junk bodies and content types with a 4xx, and the sandbox stays as it was', { timeout: 120_000 }, async () => {
    const before = await generationOf(stack.sim)
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(junk, async ({ type, body }) => {
        const reply = await send(stack.sim.url, 'POST', '/_sim/reset', type === undefined ? {} : { 'content-type': type }, body)
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
        expect(reply.status).toBeGreaterThanOrEqual(400)
        expect(reply.status).toBeLessThan(500)
        expect(reply.json?.error?.code).toEqual(expect.any(String))
      }),
      { numRuns: 1000 },
    )
    expect(await generationOf(stack.sim)).toBe(before)
    expect([...statuses.keys()].sort()).toEqual([400, 415])
  })
})
