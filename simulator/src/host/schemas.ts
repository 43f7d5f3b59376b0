/** Request schemas of the host API (`/host/api`): the routes validate with them and docs/api.md is generated from them. */
import { z } from 'zod'
import { paymentSheetSchema } from '@superapp-sim/game-sdk'
import { sheetPolicySchema } from '../payments/sheetPolicy'
import { refundStatusSchema } from '../store/schema'

export const loginBody = z.object({ appId: z.string().min(1).max(64), playerId: z.string().min(1).max(64) })
export const sheetAnswerBody = z.object({ playerId: z.string().min(1).max(64) })
export const myOrdersQuery = z.object({ appId: z.string().min(1).max(64), playerId: z.string().min(1).max(64) })
export const refundRequestBody = z.object({ playerId: z.string().min(1).max(64), reason: z.string().trim().min(1, 'say why you want a refund').max(500) })
export const orderNoParam = z.object({ orderNo: z.string().regex(/^[A-Z0-9]{1,40}$/) })

// Response schemas of the host API: what each route answers, as its definition declares it.

export const hostConfigView = z.object({
  superapp: z.object({ name: z.string(), currencies: z.array(z.string()) }),
  players: z.array(z.object({ id: z.string(), nickname: z.string(), avatarColor: z.string() })),
  games: z.array(z.object({ appId: z.string(), name: z.string(), gameUrl: z.string().describe("'' for a mini game without a web game: it can still run a package") })),
})
export const hostLoginView = z.object({
  code: z.string().describe('single use, valid 5 minutes'),
  errMsg: z.literal('login:ok'),
  openid: z.string().describe("the player's openid in this mini game, for the host shell's player chip; the game gets only the code"),
})
/** A refusal is a protocol outcome (HTTP 200 with the errCode); an accepted call opens the sheet, with the policy that will answer it. */
export const startPaymentView = z.union([
  z.object({ ok: z.literal(false), errCode: z.number().int(), errMsg: z.string().describe('requestMidasPaymentGameItem:fail …') }),
  z.object({ ok: z.literal(true), errCode: z.literal(0), sheet: paymentSheetSchema, policy: sheetPolicySchema }),
])
/** The sheet's answer: errCode 0 paid, 1 cancelled, or the errCode a test policy failed it with. */
export const paymentResultView = z.object({ errCode: z.number().int(), errMsg: z.string(), orderNo: z.string() })
export const myOrdersView = z.object({
  orders: z.array(
    z.object({
      orderNo: z.string(),
      outTradeNo: z.string(),
      productId: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      totalPrice: z.number().int(),
      currency: z.string(),
      status: z.number().int().describe("WeChat's order status number"),
      deliveryFailed: z.boolean(),
      createdAt: z.string(),
      paidAt: z.string().optional(),
      deliveredAt: z.string().optional(),
      refundedAmount: z.number().int(),
      refundable: z.number().int().describe('what is left to refund, in minor units'),
      refunds: z.array(
        z.object({ refundNo: z.string(), amount: z.number().int(), status: refundStatusSchema, reason: z.string(), createdAt: z.string(), rejectReason: z.string().optional() }),
      ),
    }),
  ),
})
export const refundRequestView = z.object({ refund: z.object({ refundNo: z.string(), amount: z.number().int(), status: refundStatusSchema }) })
/** The package folder of `superapp-sim start --package <dir>` (minigameConfig.ts PackageManifest). */
export const packageManifestView = z.object({ folder: z.string(), files: z.array(z.object({ path: z.string(), bytes: z.number().int() })) })
