import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { serializeSignData } from '@superapp-sim/game-sdk'
import { signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { ManualClock } from '../../simulator/src/clock'
import { SESSION_TTL_SECONDS } from '../../simulator/src/console/auth'
import { MOON_RUNNER_APP_ID, STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { ConsoleClient } from '../support/console'
import { postJson } from '../support/http'
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

const snapshot = () => JSON.stringify(stack.sim.store.state)
const login = (username: string) => ConsoleClient.login(stack, username)

describe('console sessions', () => {
  it('answers a wrong password and an unknown user with the same 401', async () => {
    const anonymous = new ConsoleClient(stack, '')
    const wrongPassword = await anonymous.post('/session', { username: 'mpadmin', password: 'nope' })
    const unknownUser = await anonymous.post('/session', { username: 'nobody', password: 'nope' })
    expect(wrongPassword.status).toBe(401)
    expect(unknownUser).toEqual(wrongPassword)
    expect(wrongPassword.json.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'wrong username or password' })
  })

  it('returns the account with its role, team and capabilities', async () => {
    const me = await (await login('seniordev')).get('/me')
    expect(me.json).toMatchObject({ username: 'seniordev', role: 'mp_senior_dev', roleName: 'Mini program senior developer', teamName: 'Pixel Forge Studio' })
    expect(me.json.capabilities).toContain('items.requestRelease')
    expect(me.json.capabilities).not.toContain('items.remove')
  })

  it('refuses a missing, tampered or expired token with 401', async () => {
    const client = await login('operator')
    expect((await client.call('GET', '/me', undefined, '')).status).toBe(401)
    const tampered = client.token.slice(0, -2) + (client.token.endsWith('AA') ? 'BB' : 'AA')
    expect((await client.call('GET', '/me', undefined, tampered)).status).toBe(401)
    clock.advance(SESSION_TTL_SECONDS * 1000 - 1000)
    expect((await client.get('/me')).status).toBe(200)
    clock.advance(2000)
    const expired = await client.get('/me')
    expect(expired.status).toBe(401)
    expect(expired.json.error.message).toMatch(/expired/)
  })
})

describe('team visibility', () => {
  it("shows team members their team's games only, 404 for another team's", async () => {
    const mpadmin = await login('mpadmin')
    const games = (await mpadmin.get('/minigames')).json.miniGames.map((g: { appId: string }) => g.appId)
    expect(games).toEqual([DEMO_GAME.appId, STAR_DRIFT_APP_ID])
    expect((await mpadmin.get(`/minigames/${MOON_RUNNER_APP_ID}`)).status).toBe(404)
    expect((await mpadmin.get(`/minigames/${MOON_RUNNER_APP_ID}/delivery-config`)).status).toBe(404)
    const superadmin = await login('superadmin')
    expect((await superadmin.get('/minigames')).json.miniGames).toHaveLength(3)
  })
})

describe('enabling payment', () => {
  /** Opens a payment for Star Drift as the host would, signed with `appKey`. */
  async function payForStarDrift(appKey: string) {
    const host = await postJson(`${stack.sim.url}/host/api/login`, { appId: STAR_DRIFT_APP_ID, playerId: 'player-1' })
    const game = stack.sim.store.state.miniGames.find((g) => g.appId === STAR_DRIFT_APP_ID)!
    const session = await fetch(
      `${stack.sim.url}/sns/jscode2session?${new URLSearchParams({ appid: STAR_DRIFT_APP_ID, secret: game.appSecret, js_code: host.json.code, grant_type: 'authorization_code' })}`,
    ).then((r) => r.json() as Promise<{ session_key: string }>)
    const signData = serializeSignData({ productId: 'star_pack', goodsPrice: 100, buyQuantity: 1, currencyType: 'USD', outTradeNo: `SD${Date.now()}` })
    const params = { signData, paySig: signPaySig(appKey, signData), signature: signUserSignature(session.session_key, signData) }
    return (await postJson(`${stack.sim.url}/host/api/payments`, { appId: STAR_DRIFT_APP_ID, playerId: 'player-1', params })).json
  }

  it('goes request -> superapp approval -> configuration, and the host stops refusing with -15005', async () => {
    const mpadmin = await login('mpadmin')
    expect((await payForStarDrift('no-key-yet')).errCode).toBe(ErrCode.NO_PAYMENT_PERMISSION)

    const request = await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'Star Drift sells star packs' })
    expect(request.status).toBe(201)
    expect((await mpadmin.get(`/minigames/${STAR_DRIFT_APP_ID}`)).json.paymentPermission).toBe('pending')
    expect((await payForStarDrift('no-key-yet')).errCode).toBe(ErrCode.NO_PAYMENT_PERMISSION)

    const platformadmin = await login('platformadmin')
    const queue = await platformadmin.get('/approvals?status=pending')
    expect(queue.json.approvals).toEqual([expect.objectContaining({ id: request.json.approval.id, kind: 'payment', miniGameName: 'Star Drift', message: 'Star Drift sells star packs' })])
    const approved = await platformadmin.post(`/approvals/${request.json.approval.id}/approve`)
    expect(approved.json.approval).toMatchObject({ status: 'approved', decidedBy: 'platformadmin' })
    expect((await platformadmin.post(`/approvals/${request.json.approval.id}/reject`, { reason: 'late' })).status).toBe(409)

    // Permission granted: the next check the host makes is the paySig, with the AppKey the first save issues.
    const saved = await mpadmin.put(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config`, { url: `${stack.game.url}/api/delivery`, notificationsEnabled: true })
    expect(saved.json).toMatchObject({ credentialsIssued: true, mailedTo: 'mpadmin@pixelforge.example' })
    const mail = (await mpadmin.get('/mailbox')).json.messages[0]
    expect(mail.subject).toBe('Certificate and key for Star Drift (mg2b7e4d9a05c13f66)')
    const appKey = mail.attachments.find((a: { filename: string }) => a.filename === 'app-key.txt').content.trim()
    expect(mail.attachments.find((a: { filename: string }) => a.filename === 'private-key.pem').content).toContain('BEGIN PRIVATE KEY')
    expect((await payForStarDrift('wrong-key')).errCode).toBe(ErrCode.PAY_SIG_ERROR)
    expect((await payForStarDrift(appKey)).errCode).toBe(ErrCode.ITEM_NOT_RELEASED) // it has no items yet
  })

  it('refuses a request without a bound merchant (409) and changes nothing', async () => {
    await stack.sim.store.mutate((s) => void (s.teams[0]!.merchant = null))
    const before = snapshot()
    const reply = await (await login('mpadmin')).post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'please' })
    expect(reply.status).toBe(409)
    expect(reply.json.error.message).toMatch(/merchant/)
    expect(snapshot()).toBe(before)
  })

  it('refuses a second pending request (409), takes a rejection with a reason, then accepts a new request', async () => {
    const mpadmin = await login('mpadmin')
    const first = await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'one' })
    const before = snapshot()
    expect((await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'two' })).status).toBe(409)
    expect(snapshot()).toBe(before)
    const superadmin = await login('superadmin')
    const noReason = await superadmin.post(`/approvals/${first.json.approval.id}/reject`, {})
    expect(noReason.status).toBe(400)
    expect(noReason.json.error.message).toMatch(/reason/)
    expect(snapshot()).toBe(before)
    const rejected = await superadmin.post(`/approvals/${first.json.approval.id}/reject`, { reason: 'no merchant contract on file' })
    expect(rejected.json.approval).toMatchObject({ status: 'rejected', reason: 'no merchant contract on file' })
    expect((await mpadmin.get(`/minigames/${STAR_DRIFT_APP_ID}`)).json.paymentPermission).toBe('rejected')
    expect((await mpadmin.get('/mailbox')).json.messages[0].subject).toMatch(/rejected/)
    expect((await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'contract signed' })).status).toBe(201)
  })
})

describe('delivery notification configuration', () => {
  it('refuses non-http URLs with 400 naming the field, and warns about what the real console refuses', async () => {
    const seniordev = await login('seniordev')
    const before = snapshot()
    for (const body of [
      { url: 'ftp://example.com/x', notificationsEnabled: true },
      { url: 'not a url', notificationsEnabled: true },
      { url: 'http://example.com/', testUrl: 'javascript:alert(1)', notificationsEnabled: true },
      { url: 'http://example.com/', notificationsEnabled: 'yes' },
      { notificationsEnabled: true },
    ]) {
      const reply = await seniordev.put(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config`, body)
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect(reply.json.error.code).toBe('VALIDATION_FAILED')
      expect(reply.json.error.message).toMatch(/url|testUrl|notificationsEnabled/i)
    }
    expect(snapshot()).toBe(before)
    const ok = await seniordev.put(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config`, { url: 'https://game.example.com/notify', testUrl: 'http://localhost:3000/notify', notificationsEnabled: false })
    expect(ok.status).toBe(200)
    expect(ok.json.warnings).toEqual([
      'testUrl: the real console accepts http:// only on port 80; port 3000 works in the simulator only',
      'testUrl: localhost is this machine; the real superapp needs an address it can reach from the internet',
    ])
  })

  it('issues credentials on the first save only, keeps the private key out of the state, and reissues on reset', async () => {
    const mpadmin = await login('mpadmin')
    const body = { url: 'https://game.example.com/notify', notificationsEnabled: true }
    const first = await mpadmin.put(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config`, body)
    const second = await mpadmin.put(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config`, body)
    expect(first.json.credentialsIssued).toBe(true)
    expect(second.json.credentialsIssued).toBe(false)
    const { mailbox, ...rest } = stack.sim.store.state
    expect(JSON.stringify(rest)).not.toContain('PRIVATE KEY')
    expect(mailbox.filter((m) => m.subject.startsWith('Certificate and key for Star Drift'))).toHaveLength(1)

    const keyBefore = stack.sim.store.state.miniGames.find((g) => g.appId === STAR_DRIFT_APP_ID)!.appKey
    const reset = await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config/credentials`)
    expect(reset.json.mailedTo).toBe('mpadmin@pixelforge.example')
    expect(stack.sim.store.state.miniGames.find((g) => g.appId === STAR_DRIFT_APP_ID)!.appKey).not.toBe(keyBefore)
    expect(reset.json.credentials.appKeyHint).toMatch(/^…[0-9a-f]{4}$/)
  })

  it('sends no delivery while notifications are disabled', async () => {
    const mpadmin = await login('mpadmin')
    const url = `${stack.game.url}/api/delivery`
    await mpadmin.put(`/minigames/${DEMO_GAME.appId}/delivery-config`, { url, testUrl: url, notificationsEnabled: false })
    const { result } = await new ScriptedPlayer(stack).buy('golden_sword')
    expect(result.errCode).toBe(0)
    expect(stack.sim.store.state.outbox).toHaveLength(0)
  })

  it('switches notifications on and off from the item page\'s switch, with the Configure/modify capability, once a URL is configured', async () => {
    const mpadmin = await login('mpadmin')
    const path = `/minigames/${DEMO_GAME.appId}/delivery-config/notifications`
    const off = await mpadmin.put(path, { enabled: false })
    expect(off.status, JSON.stringify(off.json)).toBe(200)
    expect(off.json).toMatchObject({ notificationsEnabled: false, url: `${stack.game.url}/api/delivery` })
    const { result } = await new ScriptedPlayer(stack).buy('golden_sword')
    expect(result.errCode).toBe(0)
    expect(stack.sim.store.state.outbox).toHaveLength(0)
    expect((await mpadmin.put(path, { enabled: true })).json.notificationsEnabled).toBe(true)
    expect((await mpadmin.get(`/minigames/${DEMO_GAME.appId}/delivery-config`)).json.notificationsEnabled).toBe(true)

    const before = snapshot()
    expect((await (await login('operator')).put(path, { enabled: false })).status).toBe(403)
    const noUrl = await mpadmin.put(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config/notifications`, { enabled: true })
    expect(noUrl.status).toBe(409)
    expect(noUrl.json.error.message).toMatch(/configure the delivery notification URL first/)
    expect((await mpadmin.put(path, { enabled: 'yes' })).status).toBe(400)
    expect(snapshot()).toBe(before)
  })

  it('sends a signed test push to the Test URL and reports what the endpoint answered', async () => {
    const reply = await (await login('mpadmin')).post(`/minigames/${DEMO_GAME.appId}/delivery-config/test-push`)
    expect(reply.json).toMatchObject({ outcome: 'success', status: 200, url: `${stack.game.url}/api/delivery` })
    expect(JSON.parse(reply.json.responseBody)).toMatchObject({ returnCode: '0', data: 'ok' })
    expect(stack.game.inventory.grantsOf('anyone')).toEqual([])
  })
})

describe('approval exemption for item releases', () => {
  it('is requested by the team, approved by the superapp, and revoked with the released items removed', async () => {
    const seniordev = await login('seniordev')
    const request = await seniordev.post(`/minigames/${DEMO_GAME.appId}/exemption/requests`, { message: 'our items follow the rules' })
    expect(request.status).toBe(201)
    expect((await seniordev.get(`/minigames/${DEMO_GAME.appId}/exemption`)).json.status).toBe('pending')
    const superadmin = await login('superadmin')
    await superadmin.post(`/approvals/${request.json.approval.id}/approve`, { reason: 'trusted team' })
    expect((await seniordev.get(`/minigames/${DEMO_GAME.appId}/exemption`)).json.status).toBe('approved')

    const revoked = await superadmin.post(`/minigames/${DEMO_GAME.appId}/exemption/revoke`, { reason: 'an item broke the rules' })
    expect(revoked.json).toEqual({ status: 'revoked', removedItems: 4 })
    const { started } = await new ScriptedPlayer(stack).buy('golden_sword')
    expect(started.errCode).toBe(ErrCode.ITEM_NOT_RELEASED)
    expect((await superadmin.post(`/minigames/${DEMO_GAME.appId}/exemption/revoke`, { reason: 'again' })).status).toBe(409)
  })
})

describe('bad input to the console API', () => {
  it('answers 400 naming the field, 404 for unknown ids, and changes nothing stored', async () => {
    const mpadmin = await login('mpadmin')
    const superadmin = await login('superadmin')
    const before = snapshot()
    const cases = [
      [await mpadmin.call('POST', '/session', '{broken'), 400],
      [await mpadmin.post('/session', { username: 'mpadmin' }), 400],
      [await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: '   ' }), 400],
      [await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'x'.repeat(2000) }), 400],
      [await mpadmin.post('/minigames/nope/payment/requests', { message: 'hi' }), 404],
      [await superadmin.post('/approvals/A424242/approve'), 404],
      [await superadmin.post('/approvals/DROP TABLE/approve'), 400],
      [await superadmin.get('/approvals?status=maybe'), 400],
      [await mpadmin.post('/minigames/x/exemption/requests', 'x'.repeat(70 * 1024)), 413],
    ] as const
    for (const [reply, status] of cases) {
      expect(reply.status, JSON.stringify(reply.json)).toBe(status)
      expect(typeof reply.json.error.message).toBe('string')
    }
    expect(snapshot()).toBe(before)
  })
})
