/**
 * Order status numbers are WeChat's (PROTOCOL.md section 3). A module of its own so that
 * browser code can name them without loading the store's schemas.
 */
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

/** How the console, exports and scenario files name each status. */
export const ORDER_STATUS_NAMES: Record<number, string> = {
  [OrderStatus.INIT]: 'init',
  [OrderStatus.CREATED]: 'created',
  [OrderStatus.PAID]: 'paid',
  [OrderStatus.DELIVERING]: 'delivering',
  [OrderStatus.DELIVERED]: 'delivered',
  [OrderStatus.REFUNDED]: 'refunded',
  [OrderStatus.CLOSED]: 'closed',
  [OrderStatus.REFUND_FAILED]: 'refund failed',
}
