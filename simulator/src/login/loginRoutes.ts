import { Router } from 'express'
import { z } from 'zod'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import type { LoginService } from './login'

export const code2SessionQuery = z.object({
  appid: z.string().min(1),
  secret: z.string().min(1),
  js_code: z.string().min(1),
  grant_type: z.literal('authorization_code'),
})

/** WeChat's errcode for each refusal, so a server written for WeChat reads our errors too. */
const wechatErrcode: Partial<Record<string, number>> = { INVALID_CODE: 40029, INVALID_APP_SECRET: 40125, VALIDATION_FAILED: 40013 }

/** The host's login exchange, in WeChat's shape: GET /sns/jscode2session. */
export function loginRoutes(logins: LoginService): Router {
  const router = Router()
  router.get('/sns/jscode2session', async (req, res) => {
    try {
      const query = parseInput(code2SessionQuery, req.query, 'jscode2session query')
      res.json(await logins.exchange(query))
    } catch (error) {
      if (!(error instanceof SimulatorError)) throw error
      // Both shapes: WeChat's errcode/errmsg and our { error }.
      res.status(error.status).json({ errcode: wechatErrcode[error.code] ?? -1, errmsg: error.message, ...error.toBody() })
    }
  })
  return router
}
