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
export type OrderStatusValue = (typeof OrderStatus)[keyof typeof OrderStatus]
