import { z } from 'zod'
import { MAX_REQUEST_DOMAINS } from '../host/requestDomains'

/** Request schemas of the console API: the routes validate with them and docs/api.md is generated from them. */
export const appIdParam = z.object({ appId: z.string().min(1).max(64) })
export const approvalIdParam = z.object({ id: z.string().regex(/^A\d{1,12}$/, 'an approval id such as A000001') })
export const sessionBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
export const requestBody = z.object({ message: z.string().trim().min(1, 'write a message for the superapp').max(1000) })
export const approveBody = z.object({ reason: z.string().trim().max(1000).optional() })
export const rejectBody = z.object({ reason: z.string().trim().min(1, 'say why the request is rejected').max(1000) })
export const revokeBody = z.object({ reason: z.string().trim().min(1, 'say why the exemption is revoked').max(1000) })
export const approvalsQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() })
export const deliveryConfigBody = z.object({
  url: z.string().trim().min(1, 'the URL is required').max(2048),
  testUrl: z.string().trim().max(2048).default(''),
  notificationsEnabled: z.boolean(),
})
/** The item page's "enable notification" switch (seed 2.1): only the switch, the URLs stay. */
export const notificationSwitchBody = z.object({ enabled: z.boolean() })
export const notificationParams = z.object({ appId: z.string().min(1).max(64), id: z.string().regex(/^N\d{1,12}$/, 'a notification id such as N00000001') })
export const notificationsQuery = z.object({
  state: z.enum(['pending', 'delivered', 'failed']).optional(),
  kind: z.enum(['delivery', 'refund', 'test']).optional(),
  q: z.string().trim().max(64).optional(),
})
export const checkEndpointBody = z.object({ orderNo: z.string().regex(/^[A-Z0-9]{1,40}$/).optional() })
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
export const ordersQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  status: z.coerce.number().int().min(0).max(7).optional(),
  playerId: z.string().max(64).optional(),
  productId: z.string().max(64).optional(),
  q: z.string().trim().max(64).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})
export const exportQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('csv') })
export const orderParams = z.object({ appId: z.string().min(1).max(64), orderNo: z.string().regex(/^[A-Z0-9]{1,40}$/, 'an order number such as SIM2026112600000001') })
export const refundsQuery = z.object({ from: day.optional(), to: day.optional(), q: z.string().trim().max(64).optional() })
export const refundParams = z.object({ refundNo: z.string().regex(/^RF\d{16}$/, 'a refund number such as RF2026112600000001') })
export const requestDomainsBody = z
  .object({
    domains: z.array(z.string().max(300)).max(MAX_REQUEST_DOMAINS),
    allowLoopback: z.boolean().describe('simulator only: wx.request may reach loopback addresses'),
  })
  .strict()
/** What the console shows of a mini game's request domains (host/requestDomains.ts describeDomains). */
export const requestDomainsView = z.object({
  domains: z.array(z.string()).describe('https://<domain> entries, lower case'),
  allowLoopback: z.boolean(),
  note: z.string().optional().describe('what the real host would say of loopback, while it is allowed'),
})
