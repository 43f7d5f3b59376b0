import { z } from 'zod'
import { MAX_REQUEST_DOMAINS } from '../host/requestDomains'
import {
  approvalSchema,
  deliveryAttemptSchema,
  exemptionStatusSchema,
  mailMessageSchema,
  notificationKindSchema,
  paymentPermissionSchema,
  refundSchema,
  refundStatusSchema,
  roleIdSchema,
} from '../store/schema'
import { CAPABILITIES, type Capability } from './permissions'

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

// Response schemas of the console API: what each route answers, as its definition declares it
// (the docs render them, the console page takes its types from them, and the integration
// tests check every answer against them: test/support/responseCheck.ts).

const roleIdView = roleIdSchema
const capabilityView = z.enum(CAPABILITIES as [Capability, ...Capability[]])

/** The logged-in account (`describeAccount`). */
export const meView = z.object({
  username: z.string(),
  role: roleIdView,
  roleName: z.string(),
  email: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  capabilities: z.array(capabilityView),
})
export const sessionView = z.object({ token: z.string().describe('a JWT (HS256)'), expiresAt: z.string(), account: meView })
export const permissionsView = z.object({
  roles: z.array(z.object({ id: roleIdView, name: z.string(), scope: z.enum(['superapp', 'team']) })),
  capabilities: z.array(z.object({ id: capabilityView, section: z.string(), label: z.string(), roles: z.array(roleIdView) })),
})
export const openApiView = z.record(z.string(), z.unknown()).describe('an OpenAPI 3.1 document')

/** A mini game as the console lists it (`describeGame`). */
export const miniGameView = z.object({
  appId: z.string(),
  name: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  paymentPermission: paymentPermissionSchema,
  merchantBound: z.boolean(),
  exemption: exemptionStatusSchema,
  deliveryConfigured: z.boolean(),
})
export const miniGamesView = z.object({ miniGames: z.array(miniGameView) })

/** A team's request as the console shows it (`describeApproval`): with its game's and team's names. */
export const approvalView = approvalSchema.extend({ miniGameName: z.string(), teamName: z.string() })
export const oneApprovalView = z.object({ approval: approvalView })
export const approvalsView = z.object({ approvals: z.array(approvalView) })
export const paymentRequestsView = z.object({ requests: z.array(approvalView) })
export const exemptionView = z.object({ status: exemptionStatusSchema, requests: z.array(approvalView) })
export const revocationView = z.object({ status: z.literal('revoked'), removedItems: z.number().int().describe('released items taken off sale') })

const credentialsInfo = z.object({
  issuedAt: z.string(),
  appKeyHint: z.string().describe('the last four characters of the AppKey'),
  certificateFingerprint: z.string().describe("SHA-256 over the certificate's DER, as `openssl x509 -noout -fingerprint -sha256` prints it"),
  validUntil: z.string(),
})
/** The delivery notification configuration (`describeConfig`). */
export const deliveryConfigView = z.object({
  url: z.string(),
  testUrl: z.string(),
  notificationsEnabled: z.boolean(),
  credentials: credentialsInfo.nullable(),
  warnings: z.array(z.string()).describe('what the real console would refuse about the URLs'),
})
export const savedDeliveryConfigView = deliveryConfigView.extend({ credentialsIssued: z.boolean(), mailedTo: z.string().optional() })
export const reissuedCredentialsView = z.object({ credentials: credentialsInfo.nullable(), mailedTo: z.string() })
/** One POST of a notification to the game's server, as the delivery engine recorded it. */
export const attemptView = deliveryAttemptSchema
export const endpointCheckView = z.object({
  url: z.string(),
  results: z.array(
    z.object({
      check: z.string(),
      expected: z.enum(['success reply', 'refusal']),
      passed: z.boolean(),
      status: z.number().int().optional(),
      responseBody: z.string().optional(),
      detail: z.string(),
    }),
  ),
  passed: z.number().int(),
  failed: z.number().int(),
})

/** A row of the outbox: one notification and where its delivery stands. */
export const notificationSummaryView = z.object({
  id: z.string(),
  kind: notificationKindSchema,
  orderNo: z.string().describe("'' for a test push: it belongs to no order"),
  outTradeNo: z.string(),
  refundNo: z.string().optional().describe('set for refund notifications'),
  target: z.enum(['url', 'testUrl']).describe('which configured URL it goes to: sandbox orders go to the Test URL'),
  state: z.enum(['pending', 'delivered', 'failed']),
  attemptCount: z.number().int(),
  lastAttempt: deliveryAttemptSchema.optional(),
  nextAttemptAt: z.string().optional(),
  createdAt: z.string(),
})
export const notificationsView = z.object({ notifications: z.array(notificationSummaryView) })
export const notificationDetailView = notificationSummaryView.extend({
  requestHeaders: z.record(z.string(), z.string()),
  body: z.string().describe('the exact JSON sent: the signature covers its Payload string byte for byte'),
  attempts: z.array(deliveryAttemptSchema),
})
export const resentNotificationView = z.object({ notification: notificationDetailView })

export const mailboxView = z.object({ messages: z.array(mailMessageSchema) })

/** One row of the order record (orders/records.ts `orderRow`). Times absent are ''. */
export const orderRowView = z.object({
  orderNo: z.string(),
  outTradeNo: z.string(),
  status: z.number().int().describe("WeChat's order status (docs/protocol.md)"),
  statusName: z.string(),
  partlyRefunded: z.boolean(),
  productId: z.string(),
  itemName: z.string(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  totalPrice: z.number().int(),
  refundedAmount: z.number().int(),
  leftFee: z.number().int(),
  currency: z.string(),
  playerId: z.string(),
  playerName: z.string().describe("the test player's nickname; '' for a player the fixture no longer has"),
  openid: z.string(),
  env: z.literal([0, 1]),
  deliveryFailed: z.boolean(),
  createdAt: z.string(),
  paidAt: z.string(),
  deliveredAt: z.string(),
  closedAt: z.string(),
})
export const ordersPageView = z.object({ orders: z.array(orderRowView), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
/** One order (orders/records.ts `orderDetail`): the row, the item snapshot, its notifications and refunds. */
export const orderDetailView = orderRowView.extend({
  item: z.object({ name: z.string(), price: z.number().int(), imageUrl: z.string() }),
  signData: z.string(),
  attach: z.string(),
  notifications: z.array(
    z.object({ id: z.string(), kind: notificationKindSchema, state: z.enum(['pending', 'delivered', 'failed']), attempts: z.array(deliveryAttemptSchema), nextAttemptAt: z.string().optional() }),
  ),
  refunds: z.array(refundSchema),
})
/** One row of the after-sales record (orders/records.ts `refundRow`). Fields not yet set are ''. */
export const refundRowView = z.object({
  refundNo: z.string(),
  refundOrderId: z.string(),
  orderNo: z.string(),
  outTradeNo: z.string(),
  amount: z.number().int(),
  reason: z.string(),
  source: z.enum(['player', 'developer']),
  status: refundStatusSchema,
  playerId: z.string(),
  playerName: z.string().describe("the test player's nickname; '' for a player the fixture no longer has"),
  createdAt: z.string(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  rejectReason: z.string(),
  succeededAt: z.string(),
})
export const refundsPageView = z.object({ from: z.string(), to: z.string(), refunds: z.array(refundRowView) })
export const pendingRefundsView = z.object({ refunds: z.array(refundRowView) })
export const oneRefundView = z.object({ refund: refundRowView })
