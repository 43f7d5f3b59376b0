import { Router } from 'express'
import { z } from 'zod'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { parseWechatQuery, sendWechatRefusal, type ErrcodeByCode, type QueryParamErrcodes } from '../serverApi/wechatReply'
import type { LoginService } from './login'
import { code2SessionQuery } from './schemas'

/** WeChat's code for each missing or wrong query parameter (global return codes). */
const QUERY_ERRCODES: Record<keyof z.infer<typeof code2SessionQuery>, QueryParamErrcodes> = {
  appid: { missing: [ServerErrcode.APPID_MISSING, 'appid missing'], invalid: [ServerErrcode.INVALID_APPID, 'invalid appid'] },
  secret: { missing: [ServerErrcode.APPSECRET_MISSING, 'appsecret missing'], invalid: [ServerErrcode.INVALID_APPSECRET, 'invalid appsecret'] },
  js_code: { missing: [ServerErrcode.CODE_MISSING, 'missing code'], invalid: [ServerErrcode.INVALID_CODE, 'invalid code'] },
  grant_type: { missing: [ServerErrcode.INVALID_GRANT_TYPE, 'invalid grant_type'], invalid: [ServerErrcode.INVALID_GRANT_TYPE, 'invalid grant_type'] },
}

/** A refusal that names no errcode of its own: a code the host does not know (code2Session page). */
const LOGIN_ERRCODES: ErrcodeByCode = { INVALID_CODE: ServerErrcode.INVALID_CODE, INVALID_APP_SECRET: ServerErrcode.INVALID_APPSECRET }

/** The host's login exchange, in WeChat's shape: GET /sns/jscode2session; refusals are HTTP 200 with errcode/errmsg. */
export function loginRoutes(logins: LoginService): Router {
  const router = Router()
  router.get('/sns/jscode2session', async (req, res) => {
    try {
      const query = parseWechatQuery(code2SessionQuery, req.query, QUERY_ERRCODES)
      res.json(await logins.exchange(query))
    } catch (error) {
      sendWechatRefusal(res, error, LOGIN_ERRCODES)
    }
  })
  return router
}
