import { describe, expect, it } from 'vitest'
import { DEMO_GAME } from '../demo/demoGame'
import { ManualClock } from '../clock'
import { demoState } from '../demo/demoData'
import { SimulatorError } from '../errors'
import { Store } from '../store/store'
import { LOGIN_CODE_TTL_MS, LoginService } from './login'

async function setup(maxCodes?: number) {
  const store = await Store.memory()
  await store.replace(await demoState({ sampleGameOrigin: 'http://127.0.0.1:1' }))
  const clock = new ManualClock(Date.UTC(2026, 0, 1))
  return { store, clock, logins: new LoginService(store, clock, maxCodes) }
}

const input = (code: string) => ({ appid: DEMO_GAME.appId, secret: DEMO_GAME.appSecret, js_code: code })
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'exchanged',
    (error: SimulatorError) => `${error.code}: ${error.message}`,
  )

describe('LoginService', () => {
  it('exchanges a code within 5 minutes, once', async () => {
    const { clock, logins } = await setup()
    const code = logins.issue(DEMO_GAME.appId, 'player-1')
    clock.advance(LOGIN_CODE_TTL_MS - 1)
    expect(await refusal(logins.exchange(input(code)))).toBe('exchanged')
    expect(await refusal(logins.exchange(input(code)))).toMatch(/^INVALID_CODE: code been used/)
  })

  it('refuses a code 5 minutes after it was issued', async () => {
    const { clock, logins } = await setup()
    const code = logins.issue(DEMO_GAME.appId, 'player-1')
    clock.advance(LOGIN_CODE_TTL_MS)
    expect(await refusal(logins.exchange(input(code)))).toMatch(/^INVALID_CODE: invalid code: it expired/)
  })

  it('keeps at most maxCodes, forgetting expired ones first and then the oldest', async () => {
    const { clock, logins } = await setup(3)
    const first = logins.issue(DEMO_GAME.appId, 'player-1')
    clock.advance(LOGIN_CODE_TTL_MS)
    logins.issue(DEMO_GAME.appId, 'player-1')
    expect(logins.size).toBe(1) // the expired one went first
    const second = logins.issue(DEMO_GAME.appId, 'player-1')
    logins.issue(DEMO_GAME.appId, 'player-1')
    logins.issue(DEMO_GAME.appId, 'player-2')
    expect(logins.size).toBe(3)
    expect(await refusal(logins.exchange(input(first)))).toMatch(/^INVALID_CODE: invalid code/)
    expect(await refusal(logins.exchange(input(second)))).toBe('exchanged')
  })

  it('checks the game and the player before it issues a code', async () => {
    const { logins } = await setup()
    expect(() => logins.issue('mg-nope', 'player-1')).toThrow(/no mini game with appId "mg-nope"/)
    expect(() => logins.issue(DEMO_GAME.appId, 'nobody')).toThrow(/no test player "nobody"/)
    expect(logins.size).toBe(0)
  })
})
