import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { SimulatorError } from '../errors'
import type { Store } from '../store/store'

/** WeChat's access_token lifetime. */
export const ACCESS_TOKEN_TTL_SECONDS = 7200

/**
 * access_tokens for the server APIs (GET /cgi-bin/token). In memory, like a real host's
 * short-lived tokens: after a restart the game server fetches a new one.
 */
export class AccessTokens {
  private readonly tokens = new Map<string, { appId: string; expiresAt: number }>()

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  issue(appId: string, secret: string): { access_token: string; expires_in: number } {
    const game = this.store.state.miniGames.find((g) => g.appId === appId)
    if (!game) throw new SimulatorError('INVALID_APP_SECRET', `invalid appid: no mini game ${appId}; use the AppID of the mini game`, { errcode: ServerErrcode.INVALID_APPID })
    // getAccessToken's page answers a wrong AppSecret with 40001 (jscode2session: 40125).
    if (game.appSecret !== secret) throw new SimulatorError('INVALID_APP_SECRET', 'invalid credential: the secret is not the AppSecret of the mini game', { errcode: ServerErrcode.INVALID_CREDENTIAL })
    const now = this.clock.now()
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token)
    const token = randomBytes(24).toString('base64url')
    this.tokens.set(token, { appId, expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000 })
    return { access_token: token, expires_in: ACCESS_TOKEN_TTL_SECONDS }
  }

  /** The appId a token was issued to, or a refusal (40001 unknown, 42001 expired). */
  verify(token: unknown): string {
    const entry = typeof token === 'string' ? this.tokens.get(token) : undefined
    if (!entry) throw new SimulatorError('UNAUTHENTICATED', 'invalid credential: unknown access_token; get one from GET /cgi-bin/token', { errcode: ServerErrcode.INVALID_CREDENTIAL })
    if (entry.expiresAt <= this.clock.now()) {
      throw new SimulatorError('UNAUTHENTICATED', 'access_token expired: get a new one from GET /cgi-bin/token', { errcode: ServerErrcode.ACCESS_TOKEN_EXPIRED })
    }
    return entry.appId
  }
}
