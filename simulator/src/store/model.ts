import type { z } from 'zod'
import { Collection, indexOn } from './collection'
import { OrderStatus } from './orderStatus'
import type * as schema from './schema'

/**
 * The simulator's stored state. The shapes are defined once, as the zod schemas in
 * schema.ts that check what the store reads back; these are their types (imported as types
 * only, so browser code that names them loads no zod). Money is integer minor units; times
 * are ISO-8601 UTC. Order status numbers are WeChat's (docs/protocol.md section 4).
 */

export { OrderStatus } from './orderStatus'

export type Superapp = z.infer<typeof schema.superappSchema>
export type Team = z.infer<typeof schema.teamSchema>
export type PaymentPermission = z.infer<typeof schema.paymentPermissionSchema>
export type DeliveryConfig = z.infer<typeof schema.deliveryConfigSchema>
export type ExemptionStatus = z.infer<typeof schema.exemptionStatusSchema>
export type IssuedCredentials = z.infer<typeof schema.issuedCredentialsSchema>
export type MiniGame = z.infer<typeof schema.miniGameSchema>
export type RoleId = z.infer<typeof schema.roleIdSchema>
export type ConsoleAccount = z.infer<typeof schema.consoleAccountSchema>
export type ApprovalKind = z.infer<typeof schema.approvalKindSchema>
export type ApprovalStatus = z.infer<typeof schema.approvalStatusSchema>
export type Approval = z.infer<typeof schema.approvalSchema>
export type MailAttachment = z.infer<typeof schema.mailAttachmentSchema>
export type MailMessage = z.infer<typeof schema.mailMessageSchema>
export type ItemState = z.infer<typeof schema.itemStateSchema>
export type ItemVersion = z.infer<typeof schema.itemVersionSchema>
export type ReleasedItemVersion = z.infer<typeof schema.releasedItemVersionSchema>
export type Item = z.infer<typeof schema.itemSchema>
export type Player = z.infer<typeof schema.playerSchema>
export type PlayerSession = z.infer<typeof schema.playerSessionSchema>
export type Order = z.infer<typeof schema.orderSchema>
export type RefundStatus = z.infer<typeof schema.refundStatusSchema>
export type Refund = z.infer<typeof schema.refundSchema>
export type FaultKind = z.infer<typeof schema.faultKindSchema>
export type NotificationKind = z.infer<typeof schema.notificationKindSchema>
export type DeliveryAttempt = z.infer<typeof schema.deliveryAttemptSchema>
export type OutboxNotification = z.infer<typeof schema.outboxNotificationSchema>
export type RevokedSession = z.infer<typeof schema.revokedSessionSchema>
export type SmallState = z.infer<typeof schema.smallStateSchema>

/** The growing tables: a snapshot plus an append-only journal, so a write costs what changed. */
export interface Tables {
  orders: Collection<Order>
  outbox: Collection<OutboxNotification>
  refunds: Collection<Refund>
}

/** The sequences behind the numbers the simulator gives out: the small data's and the tables'. */
export type Counters = SmallState['counters'] & { order: number; notification: number; refund: number }

export type SimState = Omit<SmallState, 'counters'> & { counters: Counters } & Tables

const orderIndex = indexOn<Order>()
const notificationIndex = indexOn<OutboxNotification>()
const refundIndex = indexOn<Refund>()

export function createTables(): Tables {
  return {
    orders: new Collection<Order>('orders', 'orderNo', {
      outTradeNo: orderIndex(['appId', 'outTradeNo'], (o) => `${o.appId}\n${o.outTradeNo}`, { fixed: true }),
      player: orderIndex(['appId', 'playerId'], (o) => `${o.appId}\n${o.playerId}`, { fixed: true }),
      openSheet: orderIndex(['status', 'appId', 'playerId'], (o) => (o.status === OrderStatus.CREATED ? `${o.appId}\n${o.playerId}` : undefined)),
      // Paid but not yet handed to the delivery engine: only a crash between the two leaves one here.
      paidUndelivered: orderIndex(['status'], (o) => (o.status === OrderStatus.PAID ? 'paid' : undefined)),
    }),
    outbox: new Collection<OutboxNotification>('outbox', 'id', {
      order: notificationIndex(['orderNo'], (n) => n.orderNo || undefined, { fixed: true }),
      pending: notificationIndex(['state'], (n) => (n.state === 'pending' ? 'pending' : undefined)),
    }),
    refunds: new Collection<Refund>('refunds', 'refundNo', {
      order: refundIndex(['orderNo'], (r) => r.orderNo, { fixed: true }),
      refundOrderId: refundIndex(['appId', 'refundOrderId'], (r) => `${r.appId}\n${r.refundOrderId}`, { fixed: true }),
      awaitingApproval: refundIndex(['status'], (r) => (r.status === 'pending_approval' ? 'pending' : undefined)),
    }),
  }
}

export function emptyState(): SimState {
  return {
    version: 3,
    superapp: { name: 'Superapp', currencies: [] },
    consoleSecret: '',
    revokedSessions: [],
    accounts: [],
    approvals: [],
    mailbox: [],
    teams: [],
    miniGames: [],
    items: [],
    players: [],
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
