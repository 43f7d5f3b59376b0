import { Router } from 'express'
import { z } from 'zod'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { defineRoute, mountRoutes } from '../http/routeDefinition'
import { wechatQuery, wechatRefusals, type ErrcodeByCode, type QueryParamErrcodes } from '../serverApi/wechatReply'
import type { LoginService } from './login'
import { code2SessionQuery, code2SessionView } from './schemas'

/** WeChat's code for each missing or wrong query parameter (global return codes). */
const QUERY_ERRCODES: Record<keyof z.infer<typeof code2SessionQuery>, QueryParamErrcodes> = {
  appid: { missing: [ServerErrcode.APPID_MISSING, 'appid missing'], invalid: [ServerErrcode.INVALID_APPID, 'invalid appid'] },
  secret: { missing: [ServerErrcode.APPSECRET_MISSING, 'appsecret missing'], invalid: [ServerErrcode.INVALID_APPSECRET, 'invalid appsecret'] },
  js_code: { missing: [ServerErrcode.CODE_MISSING, 'missing code'], invalid: [ServerErrcode.INVALID_CODE, 'invalid code'] },
  grant_type: { missing: [ServerErrcode.INVALID_GRANT_TYPE, 'invalid grant_type'], invalid: [ServerErrcode.INVALID_GRANT_TYPE, 'invalid grant_type'] },
}

/** A refusal that names no errcode of its own: a code the host does not know (code2Session page). */
const LOGIN_ERRCODES: ErrcodeByCode = { INVALID_CODE: ServerErrcode.INVALID_CODE, INVALID_APP_SECRET: ServerErrcode.INVALID_APPSECRET }

/** The host's login exchange, in WeChat's shape; refusals are HTTP 200 with errcode/errmsg. */
export const LOGIN_ROUTES = {
  code2Session: defineRoute<LoginService>()({
    method: 'GET',
    path: '/sns/jscode2session',
    summary: "Login exchange (WeChat shape), called by the game's server: a wx.login code for the player's openid and a fresh session_key.",
    query: code2SessionQuery,
    response: code2SessionView,
    errors: [
      "Refusals are HTTP 200 `{ errcode, errmsg }` (WeChat's shape; docs/protocol.md lists the codes and their sources):",
      '200 `{ errcode: 40029 }`: unknown or expired code (codes live 5 minutes); `40163`: code been used',
      '200 `{ errcode: 40013 }`: unknown appid; `40125`: wrong secret',
      '200 `{ errcode: 41002 | 41004 | 41008 }`: appid, secret or js_code missing; `40002`: grant_type is not authorization_code',
    ],
    handler: (logins, { query }) => logins.exchange(query),
  }),
}

/** GET /sns/jscode2session, mounted from its definition, with WeChat's refusals. */
export function loginRoutes(logins: LoginService): Router {
  const router = mountRoutes(Router(), Object.values(LOGIN_ROUTES), logins, () => [wechatQuery(code2SessionQuery, QUERY_ERRCODES)])
  router.use(wechatRefusals(LOGIN_ERRCODES))
  return router
}
