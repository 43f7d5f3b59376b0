/** Request schemas of the host API (`/host/api`): the routes validate with them and docs/api.md is generated from them. */
import { z } from 'zod'

export const loginBody = z.object({ appId: z.string().min(1).max(64), playerId: z.string().min(1).max(64) })
export const sheetAnswerBody = z.object({ playerId: z.string().min(1).max(64) })
export const myOrdersQuery = z.object({ appId: z.string().min(1).max(64), playerId: z.string().min(1).max(64) })
export const refundRequestBody = z.object({ playerId: z.string().min(1).max(64), reason: z.string().trim().min(1, 'say why you want a refund').max(500) })
export const orderNoParam = z.object({ orderNo: z.string().regex(/^[A-Z0-9]{1,40}$/) })
