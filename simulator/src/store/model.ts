import { Collection } from './collection'

/**
 * The simulator's stored state. Money is integer minor units; times are ISO-8601 UTC.
 * Order status numbers are WeChat's (PROTOCOL.md section 3).
 */

export interface Superapp {
  name: string
  /** Currencies the superapp supports; signData.currencyType outside this list is -15006. */
  currencies: string[]
}

export interface Team {
  id: string
  name: string
  merchant: { mchId: string; name: string } | null
}

export type PaymentPermission = 'none' | 'pending' | 'approved' | 'rejected'

export interface DeliveryConfig {
  /** Production delivery URL. */
  url: string
  /** Sandbox orders (signData env 1) and test pushes go here. */
  testUrl: string
  /** "Enable notification" on the item page: nothing is sent while false. */
  enabled: boolean
}

export type ExemptionStatus = 'none' | 'pending' | 'approved' | 'rejected' | 'revoked'

/** What the first save of the delivery configuration issues. The private key is only ever in the mailbox. */
export interface IssuedCredentials {
  issuedAt: string
  publicKeyPem: string
  publicKeyFingerprint: string
}

export interface MiniGame {
  appId: string
  name: string
  teamId: string
  appSecret: string
  /** The key the host signs notifications with and checks paySig against; '' until issued. */
  appKey: string
  paymentPermission: PaymentPermission
  delivery: DeliveryConfig
  /** Null until the delivery configuration is first saved. */
  credentials: IssuedCredentials | null
  /** Exemption from item release approval. */
  releaseExemption: ExemptionStatus
  /** Where the host shell loads the game from. */
  gameUrl: string
  /** Request domains (`https://api.example.com`) wx.request may reach (host/requestDomains.ts). Absent: none. */
  requestDomains?: string[]
  /** Simulator only: wx.request may reach loopback addresses. Absent: true. */
  allowLoopbackRequests?: boolean
}

export type RoleId = 'super_admin' | 'platform_admin' | 'mp_admin' | 'mp_senior_dev' | 'mp_developer' | 'mp_operator'

export interface ConsoleAccount {
  username: string
  /** scrypt$<salt b64>$<hash b64> */
  passwordHash: string
  role: RoleId
  email: string
  /** Null for the superapp's own roles. */
  teamId: string | null
}

/** `itemRelease`: a batch of virtual items the team asks the superapp to release (issue 4). */
export type ApprovalKind = 'payment' | 'exemption' | 'itemRelease'
export type ApprovalStatus = 'pending' | 'approved' | 'rejected'

/** A request a team sends to the superapp. */
export interface Approval {
  id: string
  kind: ApprovalKind
  appId: string
  teamId: string
  message: string
  status: ApprovalStatus
  requestedBy: string
  createdAt: string
  decidedBy?: string
  decidedAt?: string
  reason?: string
  /** For `itemRelease`: the product IDs the request releases. */
  productIds?: string[]
}

export interface MailAttachment {
  filename: string
  contentType: string
  content: string
}

/** The simulator's stand-in for e-mail: what the real console would send to an account's address. */
export interface MailMessage {
  id: string
  /** Username of the recipient account. */
  to: string
  toEmail: string
  subject: string
  body: string
  attachments: MailAttachment[]
  createdAt: string
}

/**
 * draft (never on sale, or returned after a rejected release) -> pending_release (waiting for
 * the superapp) -> released (on sale); removed (taken off sale). Deleting an item removes it
 * from the list altogether (docs/decisions/004-virtual-items.md).
 */
export type ItemState = 'draft' | 'pending_release' | 'released' | 'removed'

/** What the team edits and the host sells: one version of an item. */
export interface ItemVersion {
  name: string
  /** Minor units of the superapp's currency. */
  price: number
  /** An http(s) URL, a path of the simulator's /media/, or '' for none yet. */
  imageUrl: string
  description: string
}

/** The version on sale: the host charges this one, whatever the working copy says. */
export interface ReleasedItemVersion extends ItemVersion {
  releasedAt: string
}

export interface Item {
  appId: string
  productId: string
  /** The working copy: edits land here and reach players only when released again. */
  name: string
  /** Minor units of the superapp's currency. */
  price: number
  imageUrl: string
  /** Absent on items stored before issue 4; read as ''. */
  description?: string
  state: ItemState
  /**
   * Set while the item is on sale. Absent on items stored before issue 4: a `released` item
   * without it sells its working copy (catalog/itemVersions.ts).
   */
  released?: ReleasedItemVersion
  /** While pending_release: the approval that releases it. */
  releaseRequestId?: string
  /** Absent on items stored before issue 4. */
  createdAt?: string
  updatedAt?: string
}

export interface Player {
  id: string
  nickname: string
  avatarColor: string
}

export interface LoginCode {
  code: string
  appId: string
  playerId: string
  expiresAt: string
  used: boolean
}

export interface PlayerSession {
  appId: string
  playerId: string
  openid: string
  sessionKey: string
  /** Keys replaced by a later login: a signature made with one of them is -15015. */
  expiredSessionKeys: string[]
  updatedAt: string
}

export const OrderStatus = {
  INIT: 0,
  CREATED: 1,
  PAID: 2,
  DELIVERING: 3,
  DELIVERED: 4,
  REFUNDED: 5,
  CLOSED: 6,
  REFUND_FAILED: 7,
} as const
export type OrderStatusValue = (typeof OrderStatus)[keyof typeof OrderStatus]

export interface Order {
  /** The host's own order number. */
  orderNo: string
  appId: string
  playerId: string
  openid: string
  outTradeNo: string
  productId: string
  /** The item as it was when the order was created; later edits never change a paid order. */
  item: { name: string; price: number; imageUrl: string }
  quantity: number
  unitPrice: number
  totalPrice: number
  currency: string
  env: 0 | 1
  attach: string
  zoneId: string
  platform?: string
  /** signData exactly as the game passed it. */
  signData: string
  status: OrderStatusValue
  /** True when delivery gave up after the last retry. */
  deliveryFailed: boolean
  /** Minor units refunded so far (succeeded refunds); absent means 0. */
  refundedAmount?: number
  createdAt: string
  paidAt?: string
  deliveredAt?: string
  closedAt?: string
}

export type RefundStatus = 'pending_approval' | 'succeeded' | 'rejected'

/** A refund of (part of) a paid order: asked by the player (approved by the superapp) or started by the game's server. */
export interface Refund {
  /** The host's refund number (WxRefundId in the notification). */
  refundNo: string
  appId: string
  orderNo: string
  outTradeNo: string
  playerId: string
  openid: string
  /** The game's refund_order_id (MchRefundId); for a player's request, the host's refund number. */
  refundOrderId: string
  /** Minor units. */
  amount: number
  reason: string
  source: 'player' | 'developer'
  status: RefundStatus
  /** The initiation date: after-sales records are searched by it. */
  createdAt: string
  decidedBy?: string
  decidedAt?: string
  rejectReason?: string
  succeededAt?: string
}

export interface DeliveryAttempt {
  at: string
  url: string
  status?: number
  responseBody?: string
  latencyMs: number
  outcome: 'success' | 'failure'
  error?: string
  /** Sent by hand (console resend or the endpoint checker), outside the schedule. */
  manual?: boolean
  /** The injected fault that shaped this attempt, if any. */
  fault?: FaultKind
}

export type FaultKind = 'duplicate' | 'delay' | 'outOfOrder' | 'ignoreReply'
export type NotificationKind = 'delivery' | 'refund' | 'test'

export interface OutboxNotification {
  id: string
  appId: string
  kind: NotificationKind
  /** '' for a test push. */
  orderNo: string
  outTradeNo: string
  /** Set for refund notifications. */
  refundNo?: string
  requestHeaders: Record<string, string>
  /** Production or test URL, decided when the notification is created. */
  target: 'url' | 'testUrl'
  /** The exact JSON body sent on every attempt (the signature covers its Payload). */
  body: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: DeliveryAttempt[]
  nextAttemptAt?: string
  createdAt: string
}

/** Everything but the growing tables: one small JSON file, rewritten when it changes. */
export interface SmallState {
  version: 1
  superapp: Superapp
  /** Signs console session tokens; random per data folder. */
  consoleSecret: string
  accounts: ConsoleAccount[]
  approvals: Approval[]
  mailbox: MailMessage[]
  teams: Team[]
  miniGames: MiniGame[]
  items: Item[]
  players: Player[]
  loginCodes: LoginCode[]
  sessions: PlayerSession[]
  counters: { order: number; notification: number; approval: number; mail: number; refund: number }
  /** Test-control settings (`/_sim/settings`). */
  settings: { autoApproveRefunds: boolean }
}

/** The growing tables: kept in an append-only journal, so a write costs what changed. */
export interface Tables {
  orders: Collection<Order>
  outbox: Collection<OutboxNotification>
  refunds: Collection<Refund>
}

export type SimState = SmallState & Tables

export function createTables(): Tables {
  return {
    orders: new Collection<Order>('orders', (o) => o.orderNo, {
      outTradeNo: { fixed: (o) => `${o.appId}\n${o.outTradeNo}` },
      player: { fixed: (o) => `${o.appId}\n${o.playerId}` },
      openSheet: (o) => (o.status === OrderStatus.CREATED ? `${o.appId}\n${o.playerId}` : undefined),
      // Paid but not yet handed to the delivery engine: only a crash between the two leaves one here.
      paidUndelivered: (o) => (o.status === OrderStatus.PAID ? 'paid' : undefined),
    }),
    outbox: new Collection<OutboxNotification>('outbox', (n) => n.id, {
      order: { fixed: (n) => n.orderNo || undefined },
      pending: (n) => (n.state === 'pending' ? 'pending' : undefined),
    }),
    refunds: new Collection<Refund>('refunds', (r) => r.refundNo, {
      order: { fixed: (r) => r.orderNo },
      refundOrderId: { fixed: (r) => `${r.appId}\n${r.refundOrderId}` },
      awaitingApproval: (r) => (r.status === 'pending_approval' ? 'pending' : undefined),
    }),
  }
}

export function emptyState(): SimState {
  return {
    version: 1,
    superapp: { name: 'Superapp', currencies: [] },
    consoleSecret: '',
    accounts: [],
    approvals: [],
    mailbox: [],
    teams: [],
    miniGames: [],
    items: [],
    players: [],
    loginCodes: [],
    sessions: [],
    ...createTables(),
    counters: { order: 0, notification: 0, approval: 0, mail: 0, refund: 0 },
    settings: { autoApproveRefunds: false },
  }
}

/** A deep copy with tables of its own (structuredClone alone would drop the tables' methods). */
export function cloneState(state: SimState): SimState {
  const { orders, outbox, refunds, ...small } = state
  const copy: SimState = { ...structuredClone(small), ...createTables() }
  copy.orders.load(structuredClone(orders.toJSON()))
  copy.outbox.load(structuredClone(outbox.toJSON()))
  copy.refunds.load(structuredClone(refunds.toJSON()))
  return copy
}
