import { OrderStatus, type Order, type Refund, type SimState } from '../store/model'

/**
 * What can still be refunded: paid minus refunded minus refunds waiting for approval
 * (WeChat's left_fee). The one place this is computed. It is exact at every moment, not only
 * after a write: a refund reserves its amount (pending, or succeeded and added to
 * `refundedAmount`) in the same store change that checks this (refunds/refundService.ts).
 */
export function leftFee(state: Pick<SimState, 'refunds'>, order: Order): number {
  const reserved = state.refunds.byIndex('order', order.orderNo).filter((r) => r.status === 'pending_approval')
  return order.totalPrice - order.refundedAmount - reserved.reduce((sum, r) => sum + r.amount, 0)
}

/** Paid, not closed, not fully refunded: the states a refund can start from. */
export function isRefundable(order: Order): boolean {
  return order.status >= OrderStatus.PAID && order.status <= OrderStatus.DELIVERED
}

/**
 * Inside a store change: the money of a succeeded refund reaches the order, which is
 * refunded once nothing is left. Called in the same change that marks the refund succeeded,
 * so `refundedAmount` always equals the sum of the order's succeeded refunds.
 */
export function addRefundedAmount(order: Order, refund: Pick<Refund, 'amount'>): void {
  order.refundedAmount = order.refundedAmount + refund.amount
  if (order.refundedAmount >= order.totalPrice) order.status = OrderStatus.REFUNDED
}
