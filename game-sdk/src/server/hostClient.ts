import { z } from 'zod'
import { GameSdkError } from '../core/errors'
import { ServerErrcode } from '../protocol/serverErrcodes'
import { signServerApi } from '../protocol/signatures'

export interface HostClientOptions {
  /** The host's server API base, e.g. http://127.0.0.1:7070 for the simulator. */
  baseUrl: string
  appId: string
  appSecret: string
  /** Needed for the xpay calls (their pay_sig). */
  appKey?: string
  fetch?: typeof fetch
}

/** Renew an access_token this long before it expires. */
const TOKEN_RENEW_MARGIN_MS = 5 * 60 * 1000

const errcodeSchema = z.looseObject({ errcode: z.number().int().optional(), errmsg: z.string().optional() })
const code2SessionSchema = z.object({ openid: z.string(), session_key: z.string(), unionid: z.string().optional() })
export type Code2SessionResult = z.infer<typeof code2SessionSchema>

/**
 * The host's server APIs a game backend calls. A refusal (errcode not 0) throws a
 * GameSdkError with code HOST_API_ERROR and `errcode`, so a server can branch on it:
 * `if (error.errcode === ServerErrcode.CODE_BEEN_USED) …`.
 *
 * @example
 * const host = createHostClient({ baseUrl, appId, appSecret })
 * const { openid, session_key } = await host.code2Session(code)
 */
export function createHostClient(options: HostClientOptions) {
  const doFetch = options.fetch ?? fetch
  const base = options.baseUrl.replace(/\/+$/, '')

  let token: { value: string; renewAt: number } | undefined

  async function send(path: string, init?: RequestInit, query: Record<string, string> = {}): Promise<unknown> {
    const url = `${base}${path}?${new URLSearchParams(query)}`
    let response: Response
    try {
      response = await doFetch(url, init)
    } catch (cause) {
      throw new GameSdkError('HOST_API_ERROR', `cannot reach the host at ${base}: is the simulator running?`, { cause })
    }
    const body: unknown = await response.json().catch(() => undefined)
    // WeChat's shape: HTTP 200 with errcode/errmsg; errcode 0 or absent is success.
    const refusal = errcodeSchema.safeParse(body)
    if (refusal.success && refusal.data.errcode !== undefined && refusal.data.errcode !== ServerErrcode.OK) {
      const { errcode, errmsg } = refusal.data
      throw new GameSdkError('HOST_API_ERROR', `${path} failed with errcode ${errcode}: ${errmsg ?? 'no errmsg'}`, { errcode })
    }
    if (!response.ok || !refusal.success) {
      throw new GameSdkError('HOST_API_ERROR', `${path} answered HTTP ${response.status} without a WeChat body: is ${base} the host's server API?`)
    }
    return body
  }

  return {
    /** Exchanges a wx.login code for the player's openid and session_key (jscode2session). */
    async code2Session(code: string): Promise<Code2SessionResult> {
      const body = await send('/sns/jscode2session', undefined, {
        appid: options.appId,
        secret: options.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      })
      const parsed = code2SessionSchema.safeParse(body)
      if (!parsed.success) throw new GameSdkError('HOST_API_ERROR', 'jscode2session answered an unexpected body')
      return parsed.data
    },

    /** An access_token for the xpay calls, fetched from /cgi-bin/token and reused until shortly before it expires. */
    async accessToken(): Promise<string> {
      if (token && Date.now() < token.renewAt) return token.value
      const body = (await send('/cgi-bin/token', undefined, { grant_type: 'client_credential', appid: options.appId, secret: options.appSecret })) as {
        access_token?: string
        expires_in?: number
      }
      if (!body.access_token) throw new GameSdkError('HOST_API_ERROR', '/cgi-bin/token answered no access_token')
      token = { value: body.access_token, renewAt: Date.now() + (body.expires_in ?? 7200) * 1000 - TOKEN_RENEW_MARGIN_MS }
      return token.value
    },

    /**
     * Calls an xpay API (docs/protocol.md, server APIs): POST with ?access_token and
     * pay_sig = HMAC-SHA256(AppKey, path + "&" + body). A refusal throws HOST_API_ERROR with
     * the host's errcode (`error.errcode`, one of ServerErrcode) and errmsg.
     */
    async xpay(path: `/xpay/${string}`, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
      if (!options.appKey) throw new GameSdkError('INVALID_ARGUMENT', 'xpay calls need { appKey } in createHostClient options')
      const body = JSON.stringify(payload)
      const accessToken = await this.accessToken()
      return (await send(
        path,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body },
        { access_token: accessToken, pay_sig: signServerApi(options.appKey, path, body) },
      )) as Record<string, unknown>
    },

    /** Tells the host an order was delivered by other means, so it stops retrying the notification. */
    async notifyProvideGoods(order: { outTradeNo?: string; hostOrderNo?: string; env?: 0 | 1 }): Promise<void> {
      await this.xpay('/xpay/notify_provide_goods', {
        ...(order.outTradeNo ? { order_id: order.outTradeNo } : {}),
        ...(order.hostOrderNo ? { wx_order_id: order.hostOrderNo } : {}),
        ...(order.env === undefined ? {} : { env: order.env }),
      })
    },
  }
}

export type HostClient = ReturnType<typeof createHostClient>
