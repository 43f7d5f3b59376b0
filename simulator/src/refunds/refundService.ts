import { ServerErrcode } from '../../../game-sdk/src/core/serverErrcodes'
import { isoTime, type Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import type { EventBus } from '../events/eventBus'
import { SimulatorError } from '../errors'
import { isRefundable, leftFee } from '../orders/orderMoney'
import { OrderStatus, type ConsoleAccount, type Order, type Refund } from '../store/model'
import type { Store } from '../store/store'

/** The host's refund number: RF + date + an 8-digit sequence. */
function refundNumber(now: number, sequence: number): string {
  return `RF${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}${String(sequence).padStart(8, '0')}`
}

/**
 * Refunds: a player asks (the superapp approves or rejects, or auto-approves for QA), or
 * the game's server starts one (refund_order). A completed refund updates the order
 * (refunded, or partly refunded with what is left) and sends the refund notification.
 */
export class RefundService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly delivery: DeliveryEngine,
    private readonly events?: EventBus,
  ) {}

  private emit(type: 'refund.requested' | 'refund.succeeded' | 'refund.rejected', refund: Refund): void {
    const { appId, orderNo, outTradeNo, refundNo, amount, source } = refund
    this.events?.emit({ type, appId, orderNo, outTradeNo, refundNo, amount, source })
  }

  /** The player's request from the host shell: the whole amount left, waiting for the superapp. */
  async requestByPlayer(orderNo: string, playerId: string, reason: string): Promise<Refund> {
    const order = this.store.state.orders.get(orderNo)
    if (!order || order.playerId !== playerId) throw new SimulatorError('NOT_FOUND', `no order ${orderNo} for player ${playerId}`)
    this.assertRefundable(order)
    const amount = leftFee(this.store.state, order)
    if (amount <= 0) throw new SimulatorError('CONFLICT', `order ${orderNo} has a refund waiting for approval already, or nothing left to refund`)
    const refund = await this.create(order, { amount, reason, source: 'player', status: 'pending_approval' })
    this.emit('refund.requested', refund)
    return this.store.state.settings.autoApproveRefunds ? this.approve(refund.refundNo, undefined) : refund
  }

  /**
   * refund_order from the game's server: refund_fee in (0, left_fee], left_fee as the host
   * knows it, idempotent on refund_order_id (the same id and amount returns the same refund).
   */
  async startByDeveloper(order: Order, input: { refundOrderId: string; refundFee: number; leftFee: number; reason: string }): Promise<Refund> {
    const existing = this.store.state.refunds.firstByIndex('refundOrderId', `${order.appId}\n${input.refundOrderId}`)
    if (existing) {
      if (existing.orderNo !== order.orderNo || existing.amount !== input.refundFee) {
        throw new SimulatorError('CONFLICT', `refund_order_id ${input.refundOrderId} was used for another refund (order ${existing.orderNo}, refund_fee ${existing.amount})`)
      }
      return existing
    }
    this.assertRefundable(order)
    const left = leftFee(this.store.state, order)
    if (input.leftFee !== left) {
      throw new SimulatorError('CONFLICT', `left_fee ${input.leftFee} is not the order's refundable amount ${left}: query_order for the current value`, { errcode: ServerErrcode.XPAY_LEFT_FEE_MISMATCH })
    }
    if (input.refundFee <= 0 || input.refundFee > left) throw new SimulatorError('VALIDATION_FAILED', `refund_fee must be in (0, ${left}], got ${input.refundFee}`)
    const refund = await this.create(order, { amount: input.refundFee, reason: input.reason, source: 'developer', status: 'succeeded', refundOrderId: input.refundOrderId })
    await this.completed(refund)
    return refund
  }

  async approve(refundNo: string, account: ConsoleAccount | undefined): Promise<Refund> {
    const refund = this.pending(refundNo)
    const updated = await this.store.mutate((state) => {
      const stored = state.refunds.get(refund.refundNo)!
      stored.status = 'succeeded'
      stored.decidedBy = account?.username ?? 'auto-approve'
      stored.decidedAt = isoTime(this.clock)
      return stored
    })
    await this.completed(updated)
    return { ...updated }
  }

  async reject(refundNo: string, account: ConsoleAccount, reason: string): Promise<Refund> {
    const refund = this.pending(refundNo)
    const rejected = await this.store.mutate((state) => {
      const stored = state.refunds.get(refund.refundNo)!
      stored.status = 'rejected'
      stored.decidedBy = account.username
      stored.decidedAt = isoTime(this.clock)
      stored.rejectReason = reason
      return { ...stored }
    })
    this.emit('refund.rejected', rejected)
    return rejected
  }

  private pending(refundNo: string): Refund {
    const refund = this.store.state.refunds.get(refundNo)
    if (!refund) throw new SimulatorError('NOT_FOUND', `no refund ${refundNo}`)
    if (refund.status !== 'pending_approval') throw new SimulatorError('CONFLICT', `refund ${refundNo} was already ${refund.status}`)
    return refund
  }

  private assertRefundable(order: Order): void {
    if (order.status === OrderStatus.REFUNDED) throw new SimulatorError('CONFLICT', `order ${order.orderNo} is fully refunded`)
    if (!isRefundable(order)) throw new SimulatorError('CONFLICT', `order ${order.orderNo} is not paid (status ${order.status}): nothing to refund`)
  }

  private create(order: Order, fields: Pick<Refund, 'amount' | 'reason' | 'source' | 'status'> & { refundOrderId?: string }): Promise<Refund> {
    const now = this.clock.now()
    return this.store.mutate((state) => {
      state.counters.refund += 1
      const refundNo = refundNumber(now, state.counters.refund)
      const refund: Refund = {
        refundNo,
        appId: order.appId,
        orderNo: order.orderNo,
        outTradeNo: order.outTradeNo,
        playerId: order.playerId,
        openid: order.openid,
        refundOrderId: fields.refundOrderId ?? refundNo,
        amount: fields.amount,
        reason: fields.reason,
        source: fields.source,
        status: fields.status,
        createdAt: isoTime(this.clock),
        ...(fields.status === 'succeeded' ? { succeededAt: isoTime(this.clock) } : {}),
      }
      state.refunds.push(refund)
      return refund
    })
  }

  /** Money goes back: the order records it, and the game's server is told. */
  private async completed(refund: Refund): Promise<void> {
    const order = await this.store.mutate((state) => {
      const storedRefund = state.refunds.get(refund.refundNo)!
      storedRefund.succeededAt ??= isoTime(this.clock)
      const order = state.orders.get(refund.orderNo)!
      order.refundedAmount = (order.refundedAmount ?? 0) + refund.amount
      if (order.refundedAmount >= order.totalPrice) order.status = OrderStatus.REFUNDED
      return { ...order }
    })
    const stored = this.store.state.refunds.get(refund.refundNo)!
    this.emit('refund.succeeded', stored)
    await this.delivery.enqueueRefund(order, {
      refundNo: stored.refundOrderId,
      wxRefundId: stored.refundNo,
      refundFee: stored.amount,
      startedAt: stored.createdAt,
      succeededAt: stored.succeededAt!,
    })
  }
}
