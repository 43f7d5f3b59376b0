import { z } from 'zod'
import { OrderStatus } from './orderStatus'

/**
 * What the store writes, as zod schemas: the one definition of the stored shapes (model.ts
 * infers its types from them) and the check of everything the store reads back, so that a
 * damaged or foreign file is refused on open with the file and the field named, not met
 * later as a crash. Money is integer minor units; times are ISO-8601 UTC strings.
 *
 * Changing a shape here changes what old files hold: bump STATE_VERSION and add a
 * migration (migrations.ts) that brings the older files to it.
 */

/** The version of the stored layout: state.json, the tables' snapshot and the journal. */
export const STATE_VERSION = 3

const money = z.number().int()
const time = z.string()

export const superappSchema = z.object({
  name: z.string(),
  /** Currencies the superapp supports; signData.currencyType outside this list is -15006. */
  currencies: z.array(z.string()),
})

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  merchant: z.object({ mchId: z.string(), name: z.string() }).nullable(),
})

export const paymentPermissionSchema = z.enum(['none', 'pending', 'approved', 'rejected'])
export const exemptionStatusSchema = z.enum(['none', 'pending', 'approved', 'rejected', 'revoked'])

export const deliveryConfigSchema = z.object({
  /** Production delivery URL. */
  url: z.string(),
  /** Sandbox orders (signData env 1) and test pushes go here. */
  testUrl: z.string(),
  /** "Enable notification" on the item page: nothing is sent while false. */
  enabled: z.boolean(),
})

/** What the first save of the delivery configuration issues. The private key is only ever in the mailbox. */
/** What the first save of the delivery configuration issues. The private key is only ever in the mailbox. */
export const issuedCredentialsSchema = z.object({
  issuedAt: time,
  /** The self-signed X.509 certificate (PEM) of the issued key pair. */
  certificatePem: z.string(),
  /** SHA-256 over the certificate's DER, upper-case hex with colons, as `openssl x509 -fingerprint -sha256` prints it. */
  certificateFingerprint: z.string(),
  /** The certificate's notAfter. */
  validUntil: time,
})

export const miniGameSchema = z.object({
  appId: z.string(),
  name: z.string(),
  teamId: z.string(),
  appSecret: z.string(),
  /** The key the host signs notifications with and checks paySig against; '' until issued. */
  appKey: z.string(),
  paymentPermission: paymentPermissionSchema,
  delivery: deliveryConfigSchema,
  /** Null until the delivery configuration is first saved. */
  credentials: issuedCredentialsSchema.nullable(),
  /** Exemption from item release approval. */
  releaseExemption: exemptionStatusSchema,
  /** Where the host shell loads the game from. */
  gameUrl: z.string(),
  /** Request domains (`https://api.example.com`) wx.request may reach (host/requestDomains.ts); empty: none. */
  requestDomains: z.array(z.string()),
  /** Simulator only: wx.request may reach loopback addresses (true unless turned off). */
  allowLoopbackRequests: z.boolean(),
})

export const roleIdSchema = z.enum(['super_admin', 'platform_admin', 'mp_admin', 'mp_senior_dev', 'mp_developer', 'mp_operator'])

export const consoleAccountSchema = z.object({
  username: z.string(),
  /** scrypt$<salt b64>$<hash b64> */
  passwordHash: z.string(),
  role: roleIdSchema,
  email: z.string(),
  /** Null for the superapp's own roles. */
  teamId: z.string().nullable(),
})

/** `itemRelease`: a batch of virtual items the team asks the superapp to release (issue 4). */
export const approvalKindSchema = z.enum(['payment', 'exemption', 'itemRelease'])
export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected'])

/** A request a team sends to the superapp. */
export const approvalSchema = z.object({
  id: z.string(),
  kind: approvalKindSchema,
  appId: z.string(),
  teamId: z.string(),
  message: z.string(),
  status: approvalStatusSchema,
  requestedBy: z.string(),
  createdAt: time,
  decidedBy: z.string().optional(),
  decidedAt: time.optional(),
  reason: z.string().optional(),
  /** For `itemRelease`: the product IDs the request releases. */
  productIds: z.array(z.string()).optional(),
})

export const mailAttachmentSchema = z.object({ filename: z.string(), contentType: z.string(), content: z.string() })

/** The simulator's stand-in for e-mail: what the real console would send to an account's address. */
export const mailMessageSchema = z.object({
  id: z.string(),
  /** Username of the recipient account. */
  to: z.string(),
  toEmail: z.string(),
  subject: z.string(),
  body: z.string(),
  attachments: z.array(mailAttachmentSchema),
  createdAt: time,
})

/**
 * draft (never on sale, or returned after a rejected release) -> pending_release (waiting for
 * the superapp) -> released (on sale); removed (taken off sale). Deleting an item removes it
 * from the list altogether (docs/decisions/004-virtual-items.md).
 */
export const itemStateSchema = z.enum(['draft', 'pending_release', 'released', 'removed'])

/** What the team edits and the host sells: one version of an item. */
export const itemVersionSchema = z.object({
  name: z.string(),
  /** Minor units of the superapp's currency. */
  price: money,
  /** An http(s) URL, a path of the simulator's /media/, or '' for none yet. */
  imageUrl: z.string(),
  description: z.string(),
})

/** The version on sale: the host charges this one, whatever the working copy says. */
export const releasedItemVersionSchema = itemVersionSchema.extend({ releasedAt: time })

export const itemSchema = z.object({
  appId: z.string(),
  productId: z.string(),
  /** The working copy: edits land here and reach players only when released again. */
  ...itemVersionSchema.shape,
  state: itemStateSchema,
  /** Set while the item is on sale (released, or pending the release of a change). */
  released: releasedItemVersionSchema.optional(),
  /** While pending_release: the approval that releases it. */
  releaseRequestId: z.string().optional(),
  createdAt: time,
  updatedAt: time,
})

export const playerSchema = z.object({ id: z.string(), nickname: z.string(), avatarColor: z.string() })

export const playerSessionSchema = z.object({
  appId: z.string(),
  playerId: z.string(),
  openid: z.string(),
  sessionKey: z.string(),
  /** Keys replaced by a later login: a signature made with one of them is -15015. */
  expiredSessionKeys: z.array(z.string()),
  updatedAt: time,
})

const orderStatusSchema = z.literal(Object.values(OrderStatus))

export const orderSchema = z.object({
  /** The host's own order number. */
  orderNo: z.string(),
  appId: z.string(),
  playerId: z.string(),
  openid: z.string(),
  outTradeNo: z.string(),
  productId: z.string(),
  /** The item as it was when the order was created; later edits never change a paid order. */
  item: z.object({ name: z.string(), price: money, imageUrl: z.string() }),
  quantity: z.number().int(),
  unitPrice: money,
  totalPrice: money,
  currency: z.string(),
  env: z.literal([0, 1]),
  attach: z.string(),
  zoneId: z.string(),
  platform: z.string().optional(),
  /** signData exactly as the game passed it. */
  signData: z.string(),
  status: orderStatusSchema,
  /** True when delivery gave up after the last retry. */
  deliveryFailed: z.boolean(),
  /** Minor units refunded so far: the sum of the order's succeeded refunds; 0 until the first. */
  refundedAmount: money,
  createdAt: time,
  paidAt: time.optional(),
  deliveredAt: time.optional(),
  closedAt: time.optional(),
})

export const refundStatusSchema = z.enum(['pending_approval', 'succeeded', 'rejected'])

/** A refund of (part of) a paid order: asked by the player (approved by the superapp) or started by the game's server. */
export const refundSchema = z.object({
  /** The host's refund number (WxRefundId in the notification). */
  refundNo: z.string(),
  appId: z.string(),
  orderNo: z.string(),
  outTradeNo: z.string(),
  playerId: z.string(),
  openid: z.string(),
  /** The game's refund_order_id (MchRefundId); for a player's request, the host's refund number. */
  refundOrderId: z.string(),
  /** Minor units. */
  amount: money,
  reason: z.string(),
  source: z.enum(['player', 'developer']),
  status: refundStatusSchema,
  /** The initiation date: after-sales records are searched by it. */
  createdAt: time,
  decidedBy: z.string().optional(),
  decidedAt: time.optional(),
  rejectReason: z.string().optional(),
  succeededAt: time.optional(),
})

export const faultKindSchema = z.enum(['duplicate', 'delay', 'outOfOrder', 'ignoreReply'])
export const notificationKindSchema = z.enum(['delivery', 'refund', 'test'])

export const deliveryAttemptSchema = z.object({
  at: time,
  url: z.string(),
  status: z.number().int().optional(),
  responseBody: z.string().optional(),
  latencyMs: z.number(),
  outcome: z.enum(['success', 'failure']),
  error: z.string().optional(),
  /** Sent by hand (console resend or the endpoint checker), outside the schedule. */
  manual: z.boolean().optional(),
  /** The injected fault that shaped this attempt, if any. */
  fault: faultKindSchema.optional(),
  /**
   * The kept-alive connection this attempt first used failed before any reply (this error
   * code, the receiver having closed it while idle), so the request went out once more on a
   * new connection within the attempt: the receiver may have seen it twice.
   */
  resentAfter: z.string().optional(),
})

export const outboxNotificationSchema = z.object({
  id: z.string(),
  appId: z.string(),
  kind: notificationKindSchema,
  /** '' for a test push. */
  orderNo: z.string(),
  outTradeNo: z.string(),
  /** Set for refund notifications. */
  refundNo: z.string().optional(),
  requestHeaders: z.record(z.string(), z.string()),
  /** Production or test URL, decided when the notification is created. */
  target: z.enum(['url', 'testUrl']),
  /** The exact JSON body sent on every attempt (the signature covers its Payload). */
  body: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  /** Every attempt, in order. In the journal each attempt is a record of its own size (a patch), not a rewrite of the notification. */
  attempts: z.array(deliveryAttemptSchema),
  nextAttemptAt: time.optional(),
  createdAt: time,
})

const counter = z.number().int().nonnegative()

/** Everything but the growing tables: one small JSON file, rewritten when it changes. */
/** A console session token revoked by logout: refused until `expiresAt`, when it would have expired anyway. */
export const revokedSessionSchema = z.object({ jti: z.string(), expiresAt: z.string() })

export const smallStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  superapp: superappSchema,
  /** Signs console session tokens; random per data folder. */
  consoleSecret: z.string(),
  /** Console sessions logged out before they expired (token id `jti`), kept until their expiry. */
  revokedSessions: z.array(revokedSessionSchema),
  accounts: z.array(consoleAccountSchema),
  approvals: z.array(approvalSchema),
  mailbox: z.array(mailMessageSchema),
  teams: z.array(teamSchema),
  miniGames: z.array(miniGameSchema),
  items: z.array(itemSchema),
  players: z.array(playerSchema),
  sessions: z.array(playerSessionSchema),
  /** Sequences of the small data's numbers. The tables' own (order, notification, refund) are kept with the tables. */
  counters: z.object({ approval: counter, mail: counter }),
  /** Test-control settings (`/_sim/settings`). */
  settings: z.object({ autoApproveRefunds: z.boolean() }),
})

/** The record schema of each growing table. */
export const tableSchemas = {
  orders: orderSchema,
  outbox: outboxNotificationSchema,
  refunds: refundSchema,
} as const
