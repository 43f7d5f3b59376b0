import { z } from 'zod'
import { GameSdkError } from '../core/errors'

export interface HostClientOptions {
  /** The host's server API base, e.g. http://127.0.0.1:7070 for the simulator. */
  baseUrl: string
  appId: string
  appSecret: string
  fetch?: typeof fetch
}

const code2SessionSchema = z.object({ openid: z.string(), session_key: z.string(), unionid: z.string().optional() })
export type Code2SessionResult = z.infer<typeof code2SessionSchema>

/**
 * The host's server APIs a game backend calls.
 *
 * @example
 * const host = createHostClient({ baseUrl, appId, appSecret })
 * const { openid, session_key } = await host.code2Session(code)
 */
export function createHostClient(options: HostClientOptions) {
  const doFetch = options.fetch ?? fetch
  const base = options.baseUrl.replace(/\/+$/, '')

  async function getJson(path: string, query: Record<string, string>): Promise<unknown> {
    const url = `${base}${path}?${new URLSearchParams(query)}`
    let response: Response
    try {
      response = await doFetch(url)
    } catch (cause) {
      throw new GameSdkError('HOST_API_ERROR', `cannot reach the host at ${base}: is the simulator running?`, { cause })
    }
    const body = (await response.json().catch(() => ({}))) as { errcode?: number; errmsg?: string }
    if (!response.ok || (body.errcode !== undefined && body.errcode !== 0)) {
      throw new GameSdkError('HOST_API_ERROR', `${path} failed (HTTP ${response.status}): ${body.errmsg ?? 'no message'}`)
    }
    return body
  }

  return {
    /** Exchanges a wx.login code for the player's openid and session_key (jscode2session). */
    async code2Session(code: string): Promise<Code2SessionResult> {
      const body = await getJson('/sns/jscode2session', {
        appid: options.appId,
        secret: options.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      })
      const parsed = code2SessionSchema.safeParse(body)
      if (!parsed.success) throw new GameSdkError('HOST_API_ERROR', 'jscode2session answered an unexpected body')
      return parsed.data
    },
  }
}

export type HostClient = ReturnType<typeof createHostClient>
