import { ServerErrcode } from '../../../game-sdk/src/core/serverErrcodes'
import { isoTime, type Clock } from '../clock'
import { SimulatorError } from '../errors'
import { newSessionKey, openidFor, randomToken } from '../store/ids'
import type { PlayerSession } from '../store/model'
import type { Store } from '../store/store'

/** WeChat's code lifetime: a wx.login code is valid for 5 minutes, once. */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000
/** Expired session keys kept to tell -15015 (expired) from -15012 (wrong). */
const EXPIRED_KEYS_KEPT = 5

/** wx.login inside the host: a single-use code for the game's server to exchange. */
export async function issueLoginCode(store: Store, clock: Clock, appId: string, playerId: string): Promise<string> {
  if (!store.state.miniGames.some((g) => g.appId === appId)) throw new SimulatorError('NOT_FOUND', `no mini game with appId "${appId}"`)
  if (!store.state.players.some((p) => p.id === playerId)) throw new SimulatorError('NOT_FOUND', `no test player "${playerId}"`)
  const code = randomToken(18)
  const now = clock.now()
  await store.mutate((state) => {
    // Drop used or expired codes so the table does not grow without bound.
    state.loginCodes = state.loginCodes.filter((c) => !c.used && Date.parse(c.expiresAt) > now)
    state.loginCodes.push({ code, appId, playerId, expiresAt: new Date(now + LOGIN_CODE_TTL_MS).toISOString(), used: false })
  })
  return code
}

export interface Code2SessionInput {
  appid: string
  secret: string
  js_code: string
}

/** jscode2session: checks the app's secret and the code, then issues a fresh session_key. */
export async function exchangeLoginCode(
  store: Store,
  clock: Clock,
  input: Code2SessionInput,
): Promise<{ openid: string; session_key: string }> {
  const game = store.state.miniGames.find((g) => g.appId === input.appid)
  if (!game) throw new SimulatorError('INVALID_APP_SECRET', `invalid appid: no mini game ${input.appid}; use the AppID of the mini game`, { errcode: ServerErrcode.INVALID_APPID })
  if (game.appSecret !== input.secret) throw new SimulatorError('INVALID_APP_SECRET', 'invalid appsecret: use the AppSecret of the mini game')
  const entry = store.state.loginCodes.find((c) => c.code === input.js_code && c.appId === input.appid)
  if (!entry) throw new SimulatorError('INVALID_CODE', 'invalid code: get a fresh one from wx.login')
  if (entry.used) throw new SimulatorError('INVALID_CODE', 'code been used: each wx.login code can be exchanged once', { errcode: ServerErrcode.CODE_BEEN_USED })
  // WeChat answers an expired code as an invalid one (40029); the message says which.
  if (Date.parse(entry.expiresAt) <= clock.now()) throw new SimulatorError('INVALID_CODE', 'invalid code: it expired (codes live 5 minutes); get a fresh one from wx.login')

  const openid = openidFor(entry.appId, entry.playerId)
  const sessionKey = newSessionKey()
  await store.mutate((state) => {
    const code = state.loginCodes.find((c) => c.code === entry.code)
    if (code) code.used = true
    const existing = state.sessions.find((s) => s.appId === entry.appId && s.playerId === entry.playerId)
    if (existing) {
      existing.expiredSessionKeys = [existing.sessionKey, ...existing.expiredSessionKeys].slice(0, EXPIRED_KEYS_KEPT)
      existing.sessionKey = sessionKey
      existing.updatedAt = isoTime(clock)
    } else {
      const session: PlayerSession = {
        appId: entry.appId,
        playerId: entry.playerId,
        openid,
        sessionKey,
        expiredSessionKeys: [],
        updatedAt: isoTime(clock),
      }
      state.sessions.push(session)
    }
  })
  return { openid, session_key: sessionKey }
}
