/** The login exchange's query (`/sns/jscode2session`): the route validates with it and docs/api.md is generated from it. */
import { z } from 'zod'

export const code2SessionQuery = z.object({
  appid: z.string().min(1),
  secret: z.string().min(1),
  js_code: z.string().min(1),
  grant_type: z.literal('authorization_code'),
})
