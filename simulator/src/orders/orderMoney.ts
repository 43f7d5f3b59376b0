import { OrderStatus, type Order, type SimState } from '../store/model'

/** What can still be refunded: paid minus refunded minus refunds waiting for approval (WeChat's left_fee). */
export function leftFee(state: Pick<SimState, 'refunds'>, order: Order): number {
  const pending = state.refunds.byIndex('order', order.orderNo).filter((r) => r.status === 'pending_approval')
  return order.totalPrice - (order.refundedAmount ?? 0) - pending.reduce((sum, r) => sum + r.amount, 0)
}

/** Paid, not closed, not fully refunded: the states a refund can start from. */
export function isRefundable(order: Order): boolean {
  return order.status >= OrderStatus.PAID && order.status <= OrderStatus.DELIVERED
}
