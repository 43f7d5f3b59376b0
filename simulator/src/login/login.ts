import { ServerErrcode } from '@superapp-sim/game-sdk'
import { isoTime, type Clock } from '../clock'
import { SimulatorError } from '../errors'
import { newSessionKey, openidFor, randomToken } from '../store/ids'
import type { PlayerSession } from '../store/model'
import type { Store } from '../store/store'

/** WeChat's code lifetime: a wx.login code is valid for 5 minutes, once. */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000
/**
 * The most codes a sandbox holds at once (issued in the last 5 minutes, exchanged or not).
 * Past it the oldest is forgotten, as if it had expired: wx.login needs no sign-in, so
 * anyone who can reach the host could otherwise grow memory without bound.
 */
const MAX_LOGIN_CODES = 10_000
/** Expired session keys kept to tell -15015 (expired) from -15012 (wrong). */
const EXPIRED_KEYS_KEPT = 5

interface LoginCode {
  appId: string
  playerId: string
  expiresAt: number
  used: boolean
}

export interface Code2SessionInput {
  appid: string
  secret: string
  js_code: string
}

/**
 * wx.login inside the host and its exchange (jscode2session). Codes live 5 minutes and are
 * used once, so they are kept in memory only, per sandbox, and never written: a login
 * costs no disk write. A restart forgets them: a code issued before it is refused
 * ("invalid code"), as a real host refuses one that expired, and the game logs in again.
 * Sessions (the session_key a code is exchanged for) are stored.
 */
export class LoginService {
  /** In issue order, which is expiry order while the clock moves forward. */
  private readonly codes = new Map<string, LoginCode>()

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly maxCodes = MAX_LOGIN_CODES,
  ) {}

  /** wx.login: a single-use code for the game's server to exchange. */
  issue(appId: string, playerId: string): string {
    const { state } = this.store
    if (!state.miniGames.some((g) => g.appId === appId)) throw new SimulatorError('NOT_FOUND', `no mini game with appId "${appId}"`)
    if (!state.players.some((p) => p.id === playerId)) throw new SimulatorError('NOT_FOUND', `no test player "${playerId}"`)
    this.forgetExpired()
    while (this.codes.size >= this.maxCodes) this.codes.delete(this.codes.keys().next().value!)
    const code = randomToken(18)
    this.codes.set(code, { appId, playerId, expiresAt: this.clock.now() + LOGIN_CODE_TTL_MS, used: false })
    return code
  }

  /** jscode2session: checks the app's secret and the code, then issues a fresh session_key. */
  async exchange(input: Code2SessionInput): Promise<{ openid: string; session_key: string }> {
    const game = this.store.state.miniGames.find((g) => g.appId === input.appid)
    if (!game) throw new SimulatorError('INVALID_APP_SECRET', `invalid appid: no mini game ${input.appid}; use the AppID of the mini game`, { errcode: ServerErrcode.INVALID_APPID })
    if (game.appSecret !== input.secret) throw new SimulatorError('INVALID_APP_SECRET', 'invalid appsecret: use the AppSecret of the mini game')
    const entry = this.codes.get(input.js_code)
    if (!entry || entry.appId !== input.appid) {
      throw new SimulatorError('INVALID_CODE', 'invalid code: get a fresh one from wx.login (codes are not kept across a simulator restart)')
    }
    if (entry.used) throw new SimulatorError('INVALID_CODE', 'code been used: each wx.login code can be exchanged once', { errcode: ServerErrcode.CODE_BEEN_USED })
    // WeChat answers an expired code as an invalid one (40029); the message says which.
    if (entry.expiresAt <= this.clock.now()) throw new SimulatorError('INVALID_CODE', 'invalid code: it expired (codes live 5 minutes); get a fresh one from wx.login')
    // Used before the first await: two exchanges of one code cannot both pass.
    entry.used = true

    const openid = openidFor(entry.appId, entry.playerId)
    const sessionKey = newSessionKey()
    await this.store.mutate((state) => {
      const existing = state.sessions.find((s) => s.appId === entry.appId && s.playerId === entry.playerId)
      if (existing) {
        existing.expiredSessionKeys = [existing.sessionKey, ...existing.expiredSessionKeys].slice(0, EXPIRED_KEYS_KEPT)
        existing.sessionKey = sessionKey
        existing.updatedAt = isoTime(this.clock)
      } else {
        const session: PlayerSession = {
          appId: entry.appId,
          playerId: entry.playerId,
          openid,
          sessionKey,
          expiredSessionKeys: [],
          updatedAt: isoTime(this.clock),
        }
        state.sessions.push(session)
      }
    })
    return { openid, session_key: sessionKey }
  }

  /** How many codes the sandbox holds now. */
  get size(): number {
    return this.codes.size
  }

  private forgetExpired(): void {
    const now = this.clock.now()
    for (const [code, entry] of this.codes) {
      if (entry.expiresAt > now) break
      this.codes.delete(code)
    }
  }
}
