/** The login exchange's query (`/sns/jscode2session`): the route validates with it and docs/api.md is generated from it. */
import { z } from 'zod'

export const code2SessionQuery = z.object({
  appid: z.string().min(1),
  secret: z.string().min(1),
  js_code: z.string().min(1),
  grant_type: z.literal('authorization_code'),
})

/** The exchange's answer (WeChat shape); a refusal is HTTP 200 `{ errcode, errmsg }` instead. */
export const code2SessionView = z.object({ openid: z.string(), session_key: z.string().describe('base64, fresh at every exchange') })
