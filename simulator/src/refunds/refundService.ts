import { ServerErrcode } from '@superapp-sim/game-sdk'
import { isoTime, type Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import type { EventBus } from '../events/eventBus'
import { SimulatorError } from '../errors'
import { addRefundedAmount, isRefundable, leftFee } from '../orders/orderMoney'
import { OrderStatus, type ConsoleAccount, type Order, type OutboxNotification, type Refund, type SimState } from '../store/model'
import { TABLES_ONLY, type Store } from '../store/store'

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
    const currency = this.store.state.orders.get(orderNo)?.currency
    this.events?.emit({ type, appId, orderNo, outTradeNo, refundNo, amount, currency, source })
  }

  /** The player's request from the host shell: the whole amount left, waiting for the superapp. */
  async requestByPlayer(orderNo: string, playerId: string, reason: string): Promise<Refund> {
    // The check and the reservation are one change: no request that arrives while it is
    // written can see the amount as still left.
    const refund = await this.store.mutate((state) => {
      const order = state.orders.get(orderNo)
      if (!order || order.playerId !== playerId) throw new SimulatorError('NOT_FOUND', `no order ${orderNo} for player ${playerId}`)
      assertRefundable(order)
      const amount = leftFee(state, order)
      if (amount <= 0) throw new SimulatorError('CONFLICT', `order ${orderNo} has a refund waiting for approval already, or nothing left to refund`)
      return { ...this.addRefund(state, order, { amount, reason, source: 'player', status: 'pending_approval' }) }
    }, TABLES_ONLY)
    this.emit('refund.requested', refund)
    return this.store.state.settings.autoApproveRefunds ? this.approve(refund.refundNo, undefined) : refund
  }

  /**
   * refund_order from the game's server: refund_fee in (0, left_fee], left_fee as the host
   * knows it, idempotent on refund_order_id (the same id and amount returns the same refund).
   */
  async startByDeveloper(order: Order, input: { refundOrderId: string; refundFee: number; leftFee: number; reason: string }): Promise<Refund> {
    const { refund, created, notification } = await this.store.mutate((state) => {
      const existing = state.refunds.firstByIndex('refundOrderId', `${order.appId}\n${input.refundOrderId}`)
      if (existing) {
        if (existing.orderNo !== order.orderNo || existing.amount !== input.refundFee) {
          throw new SimulatorError('CONFLICT', `refund_order_id ${input.refundOrderId} was used for another refund (order ${existing.orderNo}, refund_fee ${existing.amount})`)
        }
        return { refund: { ...existing }, created: false, notification: undefined }
      }
      const stored = state.orders.get(order.orderNo)!
      assertRefundable(stored)
      const left = leftFee(state, stored)
      if (input.leftFee !== left) {
        throw new SimulatorError('CONFLICT', `left_fee ${input.leftFee} is not the order's refundable amount ${left}: query_order for the current value`, { errcode: ServerErrcode.XPAY_LEFT_FEE_MISMATCH })
      }
      if (input.refundFee <= 0 || input.refundFee > left) throw new SimulatorError('VALIDATION_FAILED', `refund_fee must be in (0, ${left}], got ${input.refundFee}`)
      const refund = this.addRefund(state, stored, { amount: input.refundFee, reason: input.reason, source: 'developer', status: 'succeeded', refundOrderId: input.refundOrderId })
      return { refund: { ...refund }, created: true, notification: this.complete(state, refund) }
    }, TABLES_ONLY)
    if (created) this.completed(refund, notification)
    return refund
  }

  async approve(refundNo: string, account: ConsoleAccount | undefined): Promise<Refund> {
    const { refund, notification } = await this.store.mutate((state) => {
      const refund = pendingRefund(state, refundNo)
      refund.status = 'succeeded'
      refund.decidedBy = account?.username ?? 'auto-approve'
      refund.decidedAt = isoTime(this.clock)
      return { refund: { ...refund }, notification: this.complete(state, refund) }
    }, TABLES_ONLY)
    this.completed(refund, notification)
    return refund
  }

  async reject(refundNo: string, account: ConsoleAccount, reason: string): Promise<Refund> {
    const rejected = await this.store.mutate((state) => {
      const refund = pendingRefund(state, refundNo)
      refund.status = 'rejected'
      refund.decidedBy = account.username
      refund.decidedAt = isoTime(this.clock)
      refund.rejectReason = reason
      return { ...refund }
    }, TABLES_ONLY)
    this.emit('refund.rejected', rejected)
    return rejected
  }

  /** Inside a store change: a new refund of the order, reserving its amount by being there. */
  private addRefund(state: SimState, order: Order, fields: Pick<Refund, 'amount' | 'reason' | 'source' | 'status'> & { refundOrderId?: string }): Refund {
    state.counters.refund += 1
    const refundNo = refundNumber(this.clock.now(), state.counters.refund)
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
    }
    state.refunds.push(refund)
    return refund
  }

  /**
   * Inside the change that makes a refund succeed: the money goes back (the order records
   * it) and the game's server is to be told (the notification, in the same write).
   */
  private complete(state: SimState, refund: Refund): OutboxNotification | undefined {
    refund.succeededAt = isoTime(this.clock)
    const order = state.orders.get(refund.orderNo)!
    addRefundedAmount(order, refund)
    return this.delivery.addRefundNotification(state, order, {
      refundNo: refund.refundOrderId,
      wxRefundId: refund.refundNo,
      refundFee: refund.amount,
      startedAt: refund.createdAt,
      succeededAt: refund.succeededAt,
    })
  }

  /** After the write: the refund is announced and its notification sent. */
  private completed(refund: Refund, notification: OutboxNotification | undefined): void {
    this.emit('refund.succeeded', refund)
    this.delivery.send(notification)
  }
}

function assertRefundable(order: Order): void {
  if (order.status === OrderStatus.REFUNDED) throw new SimulatorError('CONFLICT', `order ${order.orderNo} is fully refunded`)
  if (!isRefundable(order)) throw new SimulatorError('CONFLICT', `order ${order.orderNo} is not paid (status ${order.status}): nothing to refund`)
}

/** The refund, if it still waits for the superapp's decision. */
function pendingRefund(state: SimState, refundNo: string): Refund {
  const refund = state.refunds.get(refundNo)
  if (!refund) throw new SimulatorError('NOT_FOUND', `no refund ${refundNo}`)
  if (refund.status !== 'pending_approval') throw new SimulatorError('CONFLICT', `refund ${refundNo} was already ${refund.status}`)
  return refund
}
