import { ErrCode } from '../../../game-sdk/src/core/errcodes'
import { isoTime, type Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import type { EventBus } from '../events/eventBus'
import { orderNumber } from '../store/ids'
import { OrderStatus, type Order } from '../store/model'
import type { Store } from '../store/store'
import { PAYMENT_API, refusal, validatePayment, type PaymentRefusal, type PaymentRequest } from './validatePayment'

/** A sheet left open longer than this no longer blocks the player's next payment (errCode 2). */
export const OPEN_SHEET_TTL_MS = 5 * 60 * 1000

/** What the payment sheet shows. */
export interface PaymentSheet {
  orderNo: string
  productId: string
  name: string
  imageUrl: string
  quantity: number
  unitPrice: number
  totalPrice: number
  currency: string
  gameName: string
  sandbox: boolean
}

export type StartPaymentResult = PaymentRefusal | { ok: true; errCode: 0; sheet: PaymentSheet }

export interface PaymentResult {
  errCode: number
  errMsg: string
  orderNo: string
}

/**
 * The life of a payment in the host: validated and opened (order created, sheet shown),
 * then paid (delivery starts) or cancelled (order closed).
 */
export class PaymentService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly delivery: DeliveryEngine,
    private readonly events?: EventBus,
  ) {}

  private emit(type: 'order.created' | 'order.paid' | 'order.closed', order: Order): void {
    this.events?.emit({ type, appId: order.appId, orderNo: order.orderNo, outTradeNo: order.outTradeNo, playerId: order.playerId })
  }

  async start(request: PaymentRequest): Promise<StartPaymentResult> {
    const checked = validatePayment(this.store.state, request)
    if (!checked.ok) return checked
    const now = this.clock.now()
    const open = this.store.state.orders
      .byIndex('openSheet', `${request.appId}\n${request.playerId}`)
      .find((o) => now - Date.parse(o.createdAt) < OPEN_SHEET_TTL_MS)
    if (open) return refusal(ErrCode.PAYMENT_IN_PROGRESS, 'a payment is already in progress: the player has not answered the previous sheet')

    const { game, item, signData, rawSignData, openid } = checked
    const order = await this.store.mutate((state) => {
      // Sheets abandoned past their lifetime are closed, as the host would time them out.
      for (const stale of state.orders.byIndex('openSheet', `${request.appId}\n${request.playerId}`)) {
        stale.status = OrderStatus.CLOSED
        stale.closedAt = isoTime(this.clock)
      }
      state.counters.order += 1
      const created: Order = {
        orderNo: orderNumber(now, state.counters.order),
        appId: game.appId,
        playerId: request.playerId,
        openid,
        outTradeNo: signData.outTradeNo,
        productId: item.productId,
        item: { name: item.name, price: item.price, imageUrl: item.imageUrl },
        quantity: signData.buyQuantity,
        unitPrice: item.price,
        totalPrice: item.price * signData.buyQuantity,
        currency: signData.currencyType,
        env: signData.env === 1 ? 1 : 0,
        attach: signData.attach ?? '',
        zoneId: signData.zoneId ?? '',
        platform: signData.platform,
        signData: rawSignData,
        status: OrderStatus.CREATED,
        deliveryFailed: false,
        createdAt: isoTime(this.clock),
      }
      state.orders.push(created)
      return created
    })
    this.emit('order.created', order)
    return {
      ok: true,
      errCode: 0,
      sheet: {
        orderNo: order.orderNo,
        productId: order.productId,
        name: order.item.name,
        imageUrl: order.item.imageUrl,
        quantity: order.quantity,
        unitPrice: order.unitPrice,
        totalPrice: order.totalPrice,
        currency: order.currency,
        gameName: game.name,
        sandbox: order.env === 1,
      },
    }
  }

  /**
   * At start-up: sheets open when the host stopped can no longer be answered (the page
   * that drew them is gone), so their orders are closed, as a real host ends the payment
   * session when the app dies. Otherwise the players would be told "a payment is already
   * in progress" for minutes.
   */
  async closeAbandonedSheets(): Promise<number> {
    const open = this.store.state.orders.filter((o) => o.status === OrderStatus.CREATED)
    if (open.length === 0) return 0
    await this.store.mutate((state) => {
      for (const { orderNo } of open) {
        const order = state.orders.get(orderNo)!
        order.status = OrderStatus.CLOSED
        order.closedAt = isoTime(this.clock)
      }
    })
    return open.length
  }

  /** The player pressed Pay. */
  async confirm(orderNo: string, playerId: string): Promise<PaymentResult> {
    const order = this.openOrder(orderNo, playerId)
    const paid = await this.store.mutate((state) => {
      const stored = state.orders.get(order.orderNo)!
      stored.status = OrderStatus.PAID
      stored.paidAt = isoTime(this.clock)
      return { ...stored }
    })
    this.emit('order.paid', paid)
    await this.delivery.enqueueDelivery(paid)
    return { errCode: ErrCode.OK, errMsg: `${PAYMENT_API}:ok`, orderNo }
  }

  /** The player pressed Cancel. */
  async cancel(orderNo: string, playerId: string): Promise<PaymentResult> {
    const order = this.openOrder(orderNo, playerId)
    await this.store.mutate((state) => {
      const stored = state.orders.get(order.orderNo)!
      stored.status = OrderStatus.CLOSED
      stored.closedAt = isoTime(this.clock)
    })
    this.emit('order.closed', order)
    return { errCode: ErrCode.USER_CANCELLED, errMsg: `${PAYMENT_API}:fail cancel`, orderNo }
  }

  private openOrder(orderNo: string, playerId: string): Order {
    const order = this.store.state.orders.get(orderNo)
    if (!order || order.playerId !== playerId) throw new SimulatorError('NOT_FOUND', `no payment ${orderNo} for player ${playerId}`)
    if (order.status !== OrderStatus.CREATED) {
      throw new SimulatorError('CONFLICT', `payment ${orderNo} is no longer waiting for the player (status ${order.status})`)
    }
    return order
  }
}
