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

export const appIdParam = z.object({ appId: id64 })

// Responses: what the test-control API answers, documented in docs/api.md and docs/openapi.json.

export const settingsView = z.object({ autoApproveRefunds: z.boolean() })
export const clockView = z.object({
  now: z.string().describe('ISO-8601 UTC'),
  nowMs: z.number().int(),
  frozen: z.boolean(),
  pendingTimers: z.number().int().describe('timers waiting on the sandbox clock (delivery retries, slow sheets)'),
})
const sheetPolicyView = z.object({ policy: z.string(), errCode: z.number().int().optional(), delayMs: z.number().int().optional() })
export const paymentSheetView = z.object({ global: sheetPolicyView, players: z.record(z.string(), sheetPolicyView) })
export const eventsView = z.object({
  events: z.array(z.looseObject({ seq: z.number().int(), at: z.string(), type: z.string() })),
  cursor: z.number().int().describe('pass as `after` to read on'),
})
const deliveryUrls = { deliveryUrl: z.string(), testDeliveryUrl: z.string(), notificationsEnabled: z.boolean() }
export const miniGameView = z.object({ appId: z.string(), name: z.string(), appKey: z.string(), appSecret: z.string(), paymentPermission: z.string(), ...deliveryUrls })
export const miniGamePatchView = z.object({ appId: z.string(), ...deliveryUrls })
export const qaOrdersView = z.object({
  orders: z.array(
    z.looseObject({
      appId: z.string(),
      orderNo: z.string(),
      outTradeNo: z.string(),
      status: z.number().int(),
      statusName: z.string(),
      notifications: z.array(z.looseObject({ id: z.string(), kind: z.string(), attempts: z.array(z.looseObject({})) })),
      refunds: z.array(z.looseObject({ refundNo: z.string() })),
    }),
  ),
})
export const attemptView = z.object({
  attempt: z.looseObject({ at: z.string(), url: z.string(), status: z.number().int().optional(), latencyMs: z.number(), outcome: z.enum(['success', 'failure']), error: z.string().optional() }),
})
export const refundTriggerView = z.object({ refund: z.object({ refundNo: z.string(), amount: z.number().int(), status: z.string() }) })
export const faultsView = z.object({ faults: z.array(z.object({ kind: z.string(), count: z.number().int(), delayMs: z.number().int().optional() })) })

/** A sandbox as the test-control API describes it (SimulatorCore.describe). */
export const sandboxView = z.object({
  sandbox: z.string(),
  fixture: z.string(),
  generation: z.number().int().describe('goes up at every reset: a QA tool notices a reset under it'),
  clock: z.object({ now: z.string(), frozen: z.boolean() }),
})
export const sandboxesView = z.object({ sandboxes: z.array(sandboxView) })
export const fixturesView = z.object({ fixtures: z.array(z.object({ name: z.string(), description: z.string(), builtin: z.boolean() })) })
export const loadedFixtureView = z.object({ name: z.string(), description: z.string() })
