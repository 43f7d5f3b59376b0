import { OrderStatus, type Order, type OutboxNotification, type Refund, type SimState } from '../store/model'
import { ORDER_STATUS_NAMES } from '../store/orderStatus'
import { leftFee } from './orderMoney'

/**
 * The test player's display name, for the console's rows: a person reads "Alex", the id
 * stays beside it. '' for a player the fixture no longer has.
 */
export function playerNameOf(state: Pick<SimState, 'players'>, playerId: string): string {
  return state.players.find((p) => p.id === playerId)?.nickname ?? ''
}

/** One row of the order record (list, export). */
export function orderRow(state: Pick<SimState, 'refunds' | 'players'>, order: Order) {
  return {
    orderNo: order.orderNo,
    outTradeNo: order.outTradeNo,
    status: order.status,
    statusName: ORDER_STATUS_NAMES[order.status] ?? String(order.status),
    partlyRefunded: (order.refundedAmount) > 0 && order.status !== OrderStatus.REFUNDED,
    productId: order.productId,
    itemName: order.item.name,
    quantity: order.quantity,
    unitPrice: order.unitPrice,
    totalPrice: order.totalPrice,
    refundedAmount: order.refundedAmount,
    leftFee: order.status >= OrderStatus.PAID && order.status <= OrderStatus.DELIVERED ? leftFee(state, order) : 0,
    currency: order.currency,
    playerId: order.playerId,
    playerName: playerNameOf(state, order.playerId),
    openid: order.openid,
    env: order.env,
    deliveryFailed: order.deliveryFailed,
    createdAt: order.createdAt,
    paidAt: order.paidAt ?? '',
    deliveredAt: order.deliveredAt ?? '',
    closedAt: order.closedAt ?? '',
  }
}
export type OrderRow = ReturnType<typeof orderRow>

export function orderDetail(state: SimState, order: Order) {
  const notifications: OutboxNotification[] = state.outbox.byIndex('order', order.orderNo)
  const refunds: Refund[] = state.refunds.byIndex('order', order.orderNo)
  return {
    ...orderRow(state, order),
    item: order.item,
    signData: order.signData,
    attach: order.attach,
    notifications: notifications.map((n) => ({ id: n.id, kind: n.kind, state: n.state, attempts: n.attempts, nextAttemptAt: n.nextAttemptAt })),
    refunds,
  }
}

export interface OrderFilter {
  status?: number
  playerId?: string
  productId?: string
  /** Order number or outTradeNo, exact or a part of it. */
  q?: string
  startMs: number
  endMs: number
}

/** The orders of a mini game matching a filter, newest first. A console query: it scans. */
export function* matchingOrders(state: SimState, appId: string, filter: OrderFilter): Generator<Order> {
  for (let i = state.orders.length - 1; i >= 0; i--) {
    const order = state.orders.at(i)!
    if (order.appId !== appId) continue
    const created = Date.parse(order.createdAt)
    if (created < filter.startMs || created >= filter.endMs) continue
    if (filter.status !== undefined && order.status !== filter.status) continue
    if (filter.playerId && order.playerId !== filter.playerId && order.openid !== filter.playerId) continue
    if (filter.productId && order.productId !== filter.productId) continue
    if (filter.q && !order.orderNo.includes(filter.q) && !order.outTradeNo.includes(filter.q)) continue
    yield order
  }
}

/** One row of the after-sales record. */
export function refundRow(state: Pick<SimState, 'players'>, refund: Refund) {
  return {
    refundNo: refund.refundNo,
    refundOrderId: refund.refundOrderId,
    orderNo: refund.orderNo,
    outTradeNo: refund.outTradeNo,
    amount: refund.amount,
    reason: refund.reason,
    source: refund.source,
    status: refund.status,
    playerId: refund.playerId,
    playerName: playerNameOf(state, refund.playerId),
    createdAt: refund.createdAt,
    decidedBy: refund.decidedBy ?? '',
    decidedAt: refund.decidedAt ?? '',
    rejectReason: refund.rejectReason ?? '',
    succeededAt: refund.succeededAt ?? '',
  }
}
export type RefundRow = ReturnType<typeof refundRow>

export function* matchingRefunds(state: SimState, appId: string, range: { startMs: number; endMs: number }, q?: string): Generator<Refund> {
  for (let i = state.refunds.length - 1; i >= 0; i--) {
    const refund = state.refunds.at(i)!
    if (refund.appId !== appId) continue
    const created = Date.parse(refund.createdAt)
    if (created < range.startMs || created >= range.endMs) continue
    if (q && !refund.orderNo.includes(q) && !refund.refundNo.includes(q) && !refund.outTradeNo.includes(q) && !refund.refundOrderId.includes(q)) continue
    yield refund
  }
}
