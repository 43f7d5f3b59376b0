import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { LOGIN_LIMITS } from '../../simulator/src/console/loginLimits'
import { SESSION_TTL_SECONDS } from '../../simulator/src/console/auth'
import { REPO_ROOT } from '../../scripts/artefacts.mjs'

/**
 * Console login: failed attempts limited per account and per client (429 with Retry-After,
 * on the sandbox clock), password checks that leave the rest of the simulator responsive,
 * logout that revokes the token, and the pages' Content-Security-Policy.
 */

let sim: RunningSimulator
beforeEach(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterEach(async () => {
  await sim?.close()
})

const dataDirs: string[] = []
afterAll(async () => {
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true })
})

interface Reply {
  status: number
  json: any
  headers: Headers
}

async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers }
}

const api = '/console/api/v1'
const logIn = (username: string, password = 'password', url = sim.url) => call(url, 'POST', `${api}/session`, { username, password })
const advanceClock = (ms: number) => call(sim.url, 'POST', '/_sim/clock', { advanceMs: ms })

describe('failed console logins', () => {
  it(`refuses an account with 429 and Retry-After after ${LOGIN_LIMITS.perAccount} wrong passwords, even with the right one, until the sandbox clock passes it`, async () => {
    // The sandbox clock frozen: on a slow machine the logins below take seconds of wall time,
    // which must not count toward the lock's end.
    await call(sim.url, 'POST', '/_sim/clock', { frozen: true })
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) expect((await logIn('mpadmin', `wrong-${i}`)).status).toBe(401)
    const refused = await logIn('mpadmin')
    expect(refused.status).toBe(429)
    expect(refused.json.error.code).toBe('TOO_MANY_REQUESTS')
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(Number.isInteger(retryAfter)).toBe(true)
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.windowMs / 1000)
    expect(refused.json.error.message).toContain(`${retryAfter} s`)
    // Another account from the same client is not locked by this one.
    expect((await logIn('operator')).status).toBe(200)
    // Wall time does not unlock it; the sandbox clock does.
    await advanceClock(retryAfter * 1000 - 1000)
    expect((await logIn('mpadmin')).status).toBe(429)
    await advanceClock(1000)
    expect((await logIn('mpadmin')).status).toBe(200)
  })

  it('starts counting again after a successful login', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) expect((await logIn('seniordev', 'wrong')).status).toBe(401)
      expect((await logIn('seniordev')).status).toBe(200)
    }
  })

  it(`refuses a client with 429 after ${LOGIN_LIMITS.perClient} wrong logins over any accounts, known or not`, async () => {
    for (let i = 0; i < LOGIN_LIMITS.perClient; i++) {
      const username = i % 2 ? `nobody-${i}` : ['superadmin', 'platformadmin', 'developer', 'operator'][(i / 2) % 4]!
      expect((await logIn(username, `wrong-${i}`)).status, `attempt ${i + 1} as ${username}`).toBe(401)
    }
    const refused = await logIn('mpadmin')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    await advanceClock(LOGIN_LIMITS.windowMs)
    expect((await logIn('mpadmin')).status).toBe(200)
  })

  it('counts attempts still running: of 80 at once, no more than the limit get checked, and the rest are 429 at once', async () => {
    const replies = await Promise.all(Array.from({ length: 80 }, (_, i) => logIn(`burst-${i}`, 'wrong')))
    const statuses = replies.map((reply) => reply.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_LIMITS.perClient)
    expect(statuses.filter((status) => status === 429)).toHaveLength(80 - LOGIN_LIMITS.perClient)
  })

  it('answers a signed-in user while wrong passwords are being checked, not after them', async () => {
    const { token } = (await logIn('mpadmin')).json as { token: string }
    let finished = 0
    const burst = Array.from({ length: 40 }, (_, i) => logIn(`slow-${i}`, 'wrong').then(() => (finished += 1)))
    // Once the first check is done the others are queued or running: /me must not wait for them all.
    await Promise.race(burst)
    const me = await call(sim.url, 'GET', `${api}/me`, undefined, token)
    const finishedWhenAnswered = finished
    await Promise.all(burst)
    expect(me.status).toBe(200)
    expect(finishedWhenAnswered, 'wrong logins finished before /me was answered').toBeLessThan(20)
  })
})

describe('logout', () => {
  it('revokes the presented token: the old token is 401, another session of the same account stays', async () => {
    const first = (await logIn('mpadmin')).json.token as string
    const second = (await logIn('mpadmin')).json.token as string
    expect((await call(sim.url, 'DELETE', `${api}/session`, undefined, first)).status).toBe(204)
    const after = await call(sim.url, 'GET', `${api}/me`, undefined, first)
    expect(after.status).toBe(401)
    expect(after.json.error.message).toContain('logged out')
    expect((await call(sim.url, 'GET', `${api}/minigames`, undefined, first)).status).toBe(401)
    expect((await call(sim.url, 'GET', `${api}/me`, undefined, second)).status).toBe(200)
    // Logging out twice, or without a token, is refused as unauthenticated.
    expect((await call(sim.url, 'DELETE', `${api}/session`, undefined, first)).status).toBe(401)
    expect((await call(sim.url, 'DELETE', `${api}/session`)).status).toBe(401)
  })

  it('keeps revocations across a restart, and drops each once its token would have expired', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-logout-'))
    dataDirs.push(dataDir)
    let persisted = await startSimulator({ port: 0, dataDir, log: () => {} })
    const token = (await logIn('mpadmin', 'password', persisted.url)).json.token as string
    expect((await call(persisted.url, 'DELETE', `${api}/session`, undefined, token)).status).toBe(204)
    await persisted.close()
    persisted = await startSimulator({ port: 0, dataDir, log: () => {} })
    try {
      expect((await call(persisted.url, 'GET', `${api}/me`, undefined, token)).status).toBe(401)
      expect(persisted.store.state.revokedSessions).toHaveLength(1)
      await call(persisted.url, 'POST', '/_sim/clock', { advanceMs: SESSION_TTL_SECONDS * 1000 + 1000 })
      const later = (await logIn('mpadmin', 'password', persisted.url)).json.token as string
      expect((await call(persisted.url, 'DELETE', `${api}/session`, undefined, later)).status).toBe(204)
      // The first revocation outlived its token and is gone; the second is kept.
      expect(persisted.store.state.revokedSessions).toHaveLength(1)
    } finally {
      await persisted.close()
    }
  })
})

describe('Content-Security-Policy', () => {
  const policyOf = async (page: string) => {
    const response = await fetch(`${sim.url}${page}`)
    await response.arrayBuffer()
    return response.headers.get('content-security-policy') ?? ''
  }

  it('keeps the console out of frames and runs only its own scripts', async () => {
    for (const page of ['/console/', '/sandbox/default/console/']) {
      const policy = await policyOf(page)
      expect(policy, page).toContain("frame-ancestors 'none'")
      expect(policy).toContain("script-src 'self'")
      expect(policy).not.toContain('unsafe-inline')
      expect(policy).not.toContain('unsafe-eval')
    }
  })

  it('keeps the host shell out of frames and lets it frame any http(s) game', async () => {
    const policy = await policyOf('/host/')
    expect(policy).toContain("frame-ancestors 'none'")
    expect(policy).toContain('frame-src http: https:')
    expect(policy).toContain("script-src 'self'")
    expect(policy).not.toContain('unsafe-inline')
    expect(policy).not.toContain('unsafe-eval')
  })

  it("gives the mini game runtime's worker script, and only it, the eval a package's game.js needs", async () => {
    const assets = path.join(REPO_ROOT, 'simulator/dist/web/host/assets/minigame-worker')
    const [worker] = existsSync(assets) ? readdirSync(assets) : []
    // The policy is set by path, built or not: a missing file is a 404 that carries it too.
    const policy = await policyOf(`/host/assets/minigame-worker/${worker ?? 'runtime.js'}`)
    expect(policy).toContain("script-src 'self' 'unsafe-eval'")
    expect(policy).toContain("default-src 'none'")
    expect(await policyOf('/host/assets/other.js')).not.toContain('unsafe-eval')
  })
})
