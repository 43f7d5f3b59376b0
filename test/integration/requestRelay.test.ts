import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { listen } from '../support/http'

/**
 * The host's side of wx.request (POST /host/api/request) over real HTTP: the simulator
 * relays for the host shell page only, and only to the mini game's request domains.
 */
let sim: RunningSimulator
let target: { url: string; close: () => Promise<void> }
/** Every URL the relay asked the network for: a refused request must not be among them. */
const fetched: string[] = []
const received: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = []

beforeAll(async () => {
  const app = express()
  app.use(express.text({ type: '*/*' }))
  app.all('/echo', (req, res) => {
    received.push({ method: req.method, url: req.originalUrl, headers: req.headers, body: typeof req.body === 'string' ? req.body : '' })
    res.json({ method: req.method, query: req.query, body: req.body })
  })
  app.get('/bytes', (_req, res) => void res.type('application/octet-stream').send(Buffer.from([0, 1, 254, 255])))
  app.get('/away', (_req, res) => void res.redirect(302, 'https://elsewhere.example.net/steal'))
  app.post('/see-other', (_req, res) => void res.redirect(303, '/echo'))
  app.get('/slow', () => {})
  target = await listen(app)
  // The internet is a boundary the tests do not own: a listed https domain answers here.
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = String(input)
    fetched.push(url)
    if (url.startsWith('https://api.example.com')) return new Response(JSON.stringify({ from: 'api.example.com' }), { headers: { 'content-type': 'application/json' } })
    return fetch(input, init)
  }
  sim = await startSimulator({ port: 0, memory: true, log: () => {}, fetch: recordingFetch })
})
afterAll(async () => {
  await sim.close()
  await target.close()
})

function relay(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${sim.url}/host/api/request`, {
    method: 'POST',
    headers: { origin: sim.url, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ appId: DEMO_GAME.appId, method: 'GET', header: {}, timeoutMs: 5000, ...body }),
  })
}

async function setPolicy(requestDomains: string[], allowLoopbackRequests: boolean) {
  await sim.store.mutate((state) => {
    const game = state.miniGames.find((g) => g.appId === DEMO_GAME.appId)!
    game.requestDomains = requestDomains
    game.allowLoopbackRequests = allowLoopbackRequests
  })
}

describe('the wx.request relay', () => {
  it('relays to a loopback server by default, with the note and the platform referer', async () => {
    await setPolicy([], true)
    const response = await relay({ url: `${target.url}/echo?a=1`, header: { 'x-game': 'plain', host: 'forged' } })
    expect(response.status).toBe(200)
    const result = await response.json()
    expect(result).toMatchObject({ ok: true, statusCode: 200, bodyEncoding: 'utf8' })
    expect(JSON.parse(result.body)).toMatchObject({ method: 'GET', query: { a: '1' } })
    expect(result.note).toMatch(/allowed because it is loopback \(simulator only\)/)
    const last = received.at(-1)!
    expect(last.headers['x-game']).toBe('plain')
    expect(last.headers.host).toBe(new URL(target.url).host)
    expect(last.headers.referer).toBe(`https://appservice.wx.com/${DEMO_GAME.appId}/devtools/page-frame.html`)
  })

  it('sends a body as given, text or base64 bytes, and returns binary answers as base64', async () => {
    await relay({ url: `${target.url}/echo`, method: 'POST', header: { 'content-type': 'text/plain' }, body: 'héllo', bodyEncoding: 'utf8' })
    expect(received.at(-1)!.body).toBe('héllo')
    const bytes = await (await relay({ url: `${target.url}/bytes` })).json()
    expect(bytes).toMatchObject({ ok: true, bodyEncoding: 'base64', body: Buffer.from([0, 1, 254, 255]).toString('base64') })
  })

  it('refuses a domain not in the list without sending anything, saying where to add it', async () => {
    await setPolicy(['https://api.example.com'], true)
    const before = fetched.length
    const result = await (await relay({ url: 'https://unlisted.example.org/v1/shop' })).json()
    expect(result).toEqual({
      ok: false,
      errMsg: 'request:fail url not in domain list',
      errno: 600002,
      hint: 'https://unlisted.example.org is not in the request domains: add https://unlisted.example.org in Console > Basic configuration > Request domains of Gem Quest',
    })
    expect(fetched.length).toBe(before)
  })

  it('relays to a listed https domain on any port', async () => {
    await setPolicy(['https://api.example.com'], true)
    const result = await (await relay({ url: 'https://api.example.com:8443/shop' })).json()
    expect(result).toMatchObject({ ok: true, statusCode: 200 })
    expect(JSON.parse(result.body)).toEqual({ from: 'api.example.com' })
    expect(fetched.at(-1)).toBe('https://api.example.com:8443/shop')
  })

  it('refuses loopback when the mini game turned it off', async () => {
    await setPolicy([], false)
    expect(await (await relay({ url: `${target.url}/echo` })).json()).toMatchObject({ ok: false, errMsg: 'request:fail url not in domain list' })
  })

  it('checks every redirect against the list, and a 303 continues as a GET', async () => {
    await setPolicy([], true)
    const before = fetched.length
    const result = await (await relay({ url: `${target.url}/away` })).json()
    expect(result).toMatchObject({ ok: false, errMsg: 'request:fail url not in domain list' })
    expect(result.hint).toMatch(/^redirected from http:\/\/127\.0\.0\.1:\d+: https:\/\/elsewhere\.example\.net is not in the request domains/)
    expect(fetched.slice(before)).toEqual([`${target.url}/away`])
    const seeOther = await (await relay({ url: `${target.url}/see-other`, method: 'POST', body: '{}', header: { 'content-type': 'application/json' } })).json()
    expect(JSON.parse(seeOther.body)).toMatchObject({ method: 'GET' })
  })

  it('fails with request:fail timeout when the server does not answer within the game\'s timeout', async () => {
    await setPolicy([], true)
    expect(await (await relay({ url: `${target.url}/slow`, timeoutMs: 100 })).json()).toEqual({ ok: false, errMsg: 'request:fail timeout' })
  })

  it('serves the host shell page only: another origin, no origin, a cross-site fetch or a form post are refused', async () => {
    const foreign: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }]
    for (const headers of foreign) {
      const response = await relay({ url: `${target.url}/echo` }, headers)
      expect(response.status).toBe(403)
      expect((await response.json()).error.code).toBe('FORBIDDEN')
    }
    const noOrigin = await fetch(`${sim.url}/host/api/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(noOrigin.status).toBe(403)
    const form = await fetch(`${sim.url}/host/api/request`, { method: 'POST', headers: { origin: sim.url, 'content-type': 'text/plain' }, body: '{}' })
    expect(form.status).toBe(400)
  })

  it('answers bad input with a 400 and an unknown mini game with a 404', async () => {
    const bad = await relay({ url: `${target.url}/echo`, method: 'BREW', timeoutMs: 999_999 })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.code).toBe('VALIDATION_FAILED')
    const unknown = await relay({ url: `${target.url}/echo`, appId: 'no-such-game' })
    expect(unknown.status).toBe(404)
  })
})
