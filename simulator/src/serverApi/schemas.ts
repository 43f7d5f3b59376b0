/** Request schemas of the game server's API (access token, xpay): the routes validate with them and docs/api.md is generated from them. */
import { z } from 'zod'

export const tokenQuery = z.object({ grant_type: z.literal('client_credential'), appid: z.string().min(1), secret: z.string().min(1) })
export const xpayQuery = z.object({ access_token: z.string().min(1), pay_sig: z.string().regex(/^[0-9a-fA-F]{64}$/, 'pay_sig must be 64 hex characters') })
export const notifyProvideGoodsBody = z
  .object({
    /** The game's OutTradeNo (WeChat: the merchant order id). */
    order_id: z.string().min(1).max(64).optional(),
    /** The host's order number. */
    wx_order_id: z.string().min(1).max(64).optional(),
    env: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .refine((b) => b.order_id || b.wx_order_id, { message: 'give order_id (your OutTradeNo) or wx_order_id (the host order number)' })
const orderIds = {
  /** The game's OutTradeNo (WeChat: the merchant order id). */
  order_id: z.string().min(1).max(64).optional(),
  /** The host's order number. */
  wx_order_id: z.string().min(1).max(64).optional(),
}
const oneOrderId = { message: 'give order_id (your OutTradeNo) or wx_order_id (the host order number)' }
export const queryOrderBody = z.object({ openid: z.string().max(64).optional(), ...orderIds, env: z.union([z.literal(0), z.literal(1)]).optional() }).refine((b) => b.order_id || b.wx_order_id, oneOrderId)
export const refundOrderBody = z
  .object({
    openid: z.string().min(1).max(64),
    ...orderIds,
    refund_order_id: z.string().min(8, 'refund_order_id must be 8 to 32 characters').max(32, 'refund_order_id must be 8 to 32 characters').regex(/^[0-9A-Za-z_\-|*@]+$/, 'refund_order_id may use [0-9A-Za-z_-|*@]'),
    left_fee: z.number().int().nonnegative(),
    refund_fee: z.number().int().positive(),
    refund_reason: z.string().max(256).default(''),
    biz_meta: z.string().max(1024).optional(),
    req_from: z.string().max(16).optional(),
    env: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .refine((b) => b.order_id || b.wx_order_id, oneOrderId)

// Response schemas of the game server's API: the success answers. A refusal is HTTP 200
// `{ errcode, errmsg }` in WeChat's shape instead (wechatReply.ts).

export const tokenView = z.object({ access_token: z.string(), expires_in: z.number().int().describe('seconds: 7200') })
export const xpayOkView = z.object({ errcode: z.literal(0), errmsg: z.literal('ok') })
export const queryOrderView = xpayOkView.extend({
  order: z.object({
    order_id: z.string().describe("the game's OutTradeNo"),
    wx_order_id: z.string().describe("the host's order number"),
    status: z.number().int().describe('0 init … 7 refund failed'),
    biz_type: z.literal(0),
    order_fee: z.number().int(),
    paid_fee: z.number().int(),
    refund_fee: z.number().int(),
    left_fee: z.number().int(),
    order_type: z.literal(0),
    product_id: z.string(),
    quantity: z.number().int(),
    openid: z.string(),
    env_type: z.literal([0, 1]),
    create_time: z.number().int().describe('Unix seconds; 0 when not yet'),
    paid_time: z.number().int(),
    provide_time: z.number().int(),
  }),
})
export const refundOrderView = xpayOkView.extend({ refund_order_id: z.string(), refund_wx_order_id: z.string(), pay_refund_order_id: z.string() })
