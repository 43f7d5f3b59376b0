import type { GamePayments } from '@superapp-sim/game-sdk'
import { GameApiError, postLogin } from '../api'

/**
 * The player's session with the game server. The server keeps sessions in memory, so a
 * server restart turns every token into a 401: one silent re-login keeps the game usable.
 */
export class Session {
  private token: string | undefined
  private openidValue: string | undefined
  private pendingLogin: Promise<string> | undefined

  constructor(private readonly payments: GamePayments) {}

  get openid(): string | undefined {
    return this.openidValue
  }

  get signedIn(): boolean {
    return this.token !== undefined
  }

  /** wx.login on the host, then the code to our server. Concurrent callers share one login. */
  login(): Promise<string> {
    this.pendingLogin ??= (async () => {
      try {
        const code = await this.payments.login()
        const { token, openid } = await postLogin(code)
        this.token = token
        this.openidValue = openid
        return token
      } finally {
        this.pendingLogin = undefined
      }
    })()
    return this.pendingLogin
  }

  /** Runs an authenticated call, logging in again once if the server forgot the token. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const used = this.token ?? (await this.login())
    try {
      return await call(used)
    } catch (error) {
      if (!(error instanceof GameApiError) || error.status !== 401) throw error
      // Another call may already have refreshed the token while this one was in flight.
      const fresh = this.token !== undefined && this.token !== used ? this.token : await this.login()
      return call(fresh)
    }
  }
}

/** "oAbC…9xYz": enough to tell two test players apart without filling the status line. */
export function shortOpenid(openid: string): string {
  return openid.length <= 10 ? openid : `${openid.slice(0, 4)}…${openid.slice(-4)}`
}
