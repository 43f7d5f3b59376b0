import {
  buildDeliveryNotification,
  buildRefundNotification,
  type DeliveryPayload,
  type RefundPayload,
} from '../protocol/notification'

type DeliveryOverrides = Partial<Omit<DeliveryPayload, 'GoodsInfo'>> & { GoodsInfo?: Partial<DeliveryPayload['GoodsInfo']> }

/**
 * A valid signed delivery notification for a game's own unit tests, with defaults for
 * every field you do not care about.
 *
 * @example
 * const body = createTestDeliveryNotification(appKey, { OutTradeNo: order.outTradeNo, OpenId: player.openid })
 * const reply = await request(app).post('/delivery').set('content-type', 'application/json').send(body)
 */
export function createTestDeliveryNotification(
  appKey: string,
  overrides: DeliveryOverrides = {},
): string {
  const { GoodsInfo, ...rest } = overrides
  return buildDeliveryNotification(appKey, {
    OpenId: 'oTestPlayer000000000000000000',
    Env: '1',
    OutTradeNo: `TEST${Date.now().toString(36).toUpperCase()}`,
    ...rest,
    GoodsInfo: { ProductId: 'test_product', Quantity: 1, ZoneId: '', OrigPrice: 100, ActualPrice: 100, Attach: '', OrderSource: 1, ...GoodsInfo },
  })
}

/**
 * A valid signed refund notification (the simulator's `xpay_refund_notify` convention) for
 * a game's own unit tests, with defaults for every field you do not care about.
 *
 * @example
 * const body = createTestRefundNotification(appKey, { MchOrderId: order.outTradeNo, RefundFee: 299 })
 */
export function createTestRefundNotification(appKey: string, overrides: Partial<RefundPayload> = {}): string {
  const now = Math.floor(Date.now() / 1000)
  return buildRefundNotification(appKey, {
    OpenId: 'oTestPlayer000000000000000000',
    WxOrderId: 'TESTORDER0001',
    MchOrderId: `TEST${Date.now().toString(36).toUpperCase()}`,
    WxRefundId: `RFTEST${Date.now().toString(36).toUpperCase()}`,
    MchRefundId: `RFTEST${Date.now().toString(36).toUpperCase()}`,
    RefundFee: 100,
    RetCode: 0,
    RetMsg: 'success',
    RefundStartTimestamp: now,
    RefundSuccTimestamp: now,
    RetryTimes: 0,
    ...overrides,
  })
}
