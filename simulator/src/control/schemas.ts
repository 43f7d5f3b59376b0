/**
 * Request schemas of the test-control API (`/_sim/`): the routes validate with them, docs/api.md
 * is generated from them, and scenario files reuse them (a scenario's faults step is the
 * faults body). Zod only, so any layer may import them.
 */
import { z } from 'zod'
import { sheetPolicyShape, withPolicyRules } from '../payments/sheetPolicy'

export const faultsBody = z.object({
  faults: z
    .array(
      z.object({
        kind: z.enum(['duplicate', 'delay', 'outOfOrder', 'ignoreReply']),
        count: z.number().int().min(1).max(1000),
        delayMs: z.number().int().min(0).max(7 * 24 * 3600e3).optional(),
      }),
    )
    .max(4),
})
export const settingsBody = z.object({ autoApproveRefunds: z.boolean().optional() }).strict()
const id64 = z.string().min(1).max(64)
export const clockBody = z
  .object({
    advanceMs: z.number().int().min(0).max(366 * 24 * 3600e3).optional(),
    set: z.iso.datetime({ error: 'an ISO-8601 UTC time such as 2026-12-01T00:00:00Z' }).optional(),
    frozen: z.boolean().optional(),
  })
  .strict()
  .refine((b) => !(b.advanceMs !== undefined && b.set !== undefined), { message: 'give advanceMs or set, not both' })
  .refine((b) => b.advanceMs !== undefined || b.set !== undefined || b.frozen !== undefined, { message: 'give advanceMs, set or frozen' })
export const paymentSheetBody = withPolicyRules(z.strictObject({ ...sheetPolicyShape, playerId: id64.optional() }))
export const eventsQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    type: z.string().max(64).default(''),
  })
  .strict()
export const ordersQuery = z
  .object({ appId: id64.optional(), outTradeNo: id64.optional(), orderNo: z.string().regex(/^[A-Z0-9]{1,40}$/).optional(), playerId: id64.optional() })
  .strict()
  .refine((q) => q.orderNo || q.appId, { message: 'give orderNo, or appId (with outTradeNo or playerId to narrow)' })
export const miniGamePatchBody = z
  .object({ deliveryUrl: z.url({ protocol: /^https?$/ }).optional(), testDeliveryUrl: z.url({ protocol: /^https?$/ }).optional() })
  .strict()
export const testPushBody = z.object({ appId: id64 }).strict()
export const refundTriggerBody = z
  .object({ orderNo: z.string().regex(/^[A-Z0-9]{1,40}$/), reason: z.string().trim().min(1).max(500).default('refund triggered by QA') })
  .strict()
export const resendBody = z.object({ notificationId: z.string().regex(/^N\d{1,12}$/, 'a notification id such as N00000001') }).strict()
export const resetBody = z.object({ fixture: z.string().min(1).max(64).default('demo') }).strict()
