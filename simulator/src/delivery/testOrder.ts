import { DEMO_GAME } from '../demo/demoGame'
import { OrderStatus, type Order } from '../store/model'

/**
 * For tests: a paid order of the demo's Gem Quest (golden_sword x1 at 299, paid
 * 2026-01-01T00:00:00Z). The delivery and refund vectors of test/vectors/protocol.json
 * describe this order.
 */
export function paidOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderNo: 'SIM2026010100000001',
    appId: DEMO_GAME.appId,
    playerId: 'player-1',
    openid: 'oPlayer1',
    outTradeNo: 'OUT-1',
    productId: 'golden_sword',
    item: { name: 'Golden Sword', price: 299, imageUrl: '' },
    quantity: 1,
    unitPrice: 299,
    totalPrice: 299,
    currency: 'USD',
    env: 0,
    attach: 'a',
    zoneId: '',
    signData: '{}',
    status: OrderStatus.PAID,
    deliveryFailed: false,
    refundedAmount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    paidAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}
