import { ErrCode, describeErrCode } from '@superapp-sim/game-sdk'
import { isoTime, type Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import type { EventBus } from '../events/eventBus'
import { orderNumber } from '../store/ids'
import { OrderStatus, type Order } from '../store/model'
import { TABLES_ONLY, type Store } from '../store/store'
import { SheetPolicies, type SheetPolicy } from './sheetPolicy'
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

/** An opened sheet comes with the policy that will answer it (`manual`: the player does). */
export type StartPaymentResult = PaymentRefusal | { ok: true; errCode: 0; sheet: PaymentSheet; policy: SheetPolicy }

export interface PaymentResult {
  errCode: number
  errMsg: string
  orderNo: string
}

/** Answers kept for `outcome()` after the sheet closed, so a late reader still learns it. */
const SETTLED_KEPT = 1000

interface OpenSheet {
  resolve(result: PaymentResult): void
  promise: Promise<PaymentResult>
  cancelTimer?: () => void
}

/**
 * The life of a payment in the host: validated and opened (order created, sheet shown),
 * then paid (delivery starts) or cancelled or failed (order closed). Whoever waits for the
 * sheet's answer (the host shell, a headless player's socket) waits on `outcome()`, so a
 * click, a headless answer and the sheet policy all end the same way.
 */
export class PaymentService {
  readonly policies = new SheetPolicies()
  private readonly open = new Map<string, OpenSheet>()
  private readonly settled = new Map<string, PaymentResult>()
  /** Answers the policy is giving right now; `idle()` waits for them. */
  private readonly answering = new Set<Promise<unknown>>()
  private stopped = false

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
    if (this.stopped) throw new SimulatorError('UNAVAILABLE', 'the host is stopping (the sandbox is being reset or deleted): try again')
    const checked = validatePayment(this.store.state, request)
    if (!checked.ok) return checked
    const now = this.clock.now()
    const open = this.store.state.orders
      .byIndex('openSheet', `${request.appId}\n${request.playerId}`)
      .find((o) => now - Date.parse(o.createdAt) < OPEN_SHEET_TTL_MS)
    if (open) return refusal(ErrCode.PAYMENT_IN_PROGRESS, 'a payment is already in progress: the player has not answered the previous sheet')

    const { game, item, signData, rawSignData, openid } = checked
    const timedOut: string[] = []
    const order = await this.store.mutate((state) => {
      // Sheets abandoned past their lifetime are closed, as the host would time them out.
      for (const stale of state.orders.byIndex('openSheet', `${request.appId}\n${request.playerId}`)) {
        stale.status = OrderStatus.CLOSED
        stale.closedAt = isoTime(this.clock)
        timedOut.push(stale.orderNo)
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
        refundedAmount: 0,
        createdAt: isoTime(this.clock),
      }
      state.orders.push(created)
      return created
    }, TABLES_ONLY)
    for (const orderNo of timedOut) this.settle({ errCode: ErrCode.SYSTEM_FAILURE, errMsg: `${PAYMENT_API}:fail the payment sheet timed out`, orderNo })
    this.emit('order.created', order)
    const policy = this.policies.for(request.playerId)
    this.watch(order.orderNo, request.playerId, policy)
    return {
      ok: true,
      errCode: 0,
      policy,
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
    // By the open-sheet index: a scan would parse every stored order at each start.
    const open = this.store.state.orders.allIndexed('openSheet')
    if (open.length === 0) return 0
    await this.store.mutate((state) => {
      for (const { orderNo } of open) {
        const order = state.orders.get(orderNo)!
        order.status = OrderStatus.CLOSED
        order.closedAt = isoTime(this.clock)
      }
    }, TABLES_ONLY)
    return open.length
  }

  /**
   * The sheet's answer: resolves when the player or the policy answered. For an order whose
   * sheet closed earlier, the answer it got; a sheet that is not open here fails with
   * NOT_FOUND.
   */
  outcome(orderNo: string, playerId: string): Promise<PaymentResult> {
    const order = this.store.state.orders.get(orderNo)
    if (!order || order.playerId !== playerId) throw new SimulatorError('NOT_FOUND', `no payment ${orderNo} for player ${playerId}`)
    const known = this.open.get(orderNo)?.promise ?? this.settled.get(orderNo)
    if (!known) throw new SimulatorError('NOT_FOUND', `payment ${orderNo} has no sheet waiting in this host (it was opened before a restart)`)
    return Promise.resolve(known)
  }

  /** Resolves when no sheet is being answered by policy (QA waits for it after moving the clock). */
  async idle(): Promise<void> {
    while (this.answering.size > 0) await Promise.allSettled([...this.answering])
  }

  /** Ends every waiting sheet (the sandbox is reset or the simulator stops). */
  stop(): void {
    this.stopped = true
    for (const orderNo of [...this.open.keys()]) this.settle({ errCode: ErrCode.SYSTEM_FAILURE, errMsg: `${PAYMENT_API}:fail the host stopped`, orderNo })
  }

  private watch(orderNo: string, playerId: string, policy: SheetPolicy): void {
    let resolve!: (result: PaymentResult) => void
    const promise = new Promise<PaymentResult>((r) => (resolve = r))
    const sheet: OpenSheet = { resolve, promise }
    this.open.set(orderNo, sheet)
    if (policy.policy === 'manual') return
    const answer = () => {
      sheet.cancelTimer = undefined
      if (this.stopped || !this.open.has(orderNo)) return
      const done =
        policy.policy === 'confirm'
          ? this.confirm(orderNo, playerId)
          : policy.policy === 'cancel'
            ? this.cancel(orderNo, playerId)
            : this.fail(orderNo, playerId, policy.errCode ?? ErrCode.SYSTEM_FAILURE)
      // A sheet closed meanwhile (player answered, sandbox reset) has its answer already.
      const tracked = done.catch(() => {})
      this.answering.add(tracked)
      void tracked.finally(() => this.answering.delete(tracked))
    }
    // Without a delay the answer still comes after start() returned: the sheet is shown first.
    if (!policy.delayMs) setImmediate(answer)
    else sheet.cancelTimer = this.clock.setTimer(policy.delayMs, answer)
  }

  private settle(result: PaymentResult): PaymentResult {
    const sheet = this.open.get(result.orderNo)
    this.open.delete(result.orderNo)
    sheet?.cancelTimer?.()
    sheet?.resolve(result)
    this.settled.set(result.orderNo, result)
    if (this.settled.size > SETTLED_KEPT) this.settled.delete(this.settled.keys().next().value!)
    return result
  }

  /** The host failed the payment after the sheet opened (sheet policy `fail`): the order closes. */
  fail(orderNo: string, playerId: string, errCode: number): Promise<PaymentResult> {
    return this.close(orderNo, playerId, { errCode, errMsg: `${PAYMENT_API}:fail ${describeErrCode(errCode)}` })
  }

  /** The player pressed Pay. */
  async confirm(orderNo: string, playerId: string): Promise<PaymentResult> {
    const order = this.openOrder(orderNo, playerId)
    const paidAt = isoTime(this.clock)
    const paid: Order = { ...order, status: OrderStatus.PAID, paidAt }
    // Paid and handed to the delivery engine in one write: a payment the player is told
    // about always has its notification, and a purchase costs one write less.
    await this.delivery.enqueueDelivery(paid, (state) => {
      const stored = state.orders.get(order.orderNo)!
      stored.status = OrderStatus.PAID
      stored.paidAt = paidAt
    })
    this.emit('order.paid', paid)
    return this.settle({ errCode: ErrCode.OK, errMsg: `${PAYMENT_API}:ok`, orderNo })
  }

  /** The player pressed Cancel. */
  cancel(orderNo: string, playerId: string): Promise<PaymentResult> {
    return this.close(orderNo, playerId, { errCode: ErrCode.USER_CANCELLED, errMsg: `${PAYMENT_API}:fail cancel` })
  }

  /** Closes an open sheet's order without payment, answering the sheet with `answer`. */
  private async close(orderNo: string, playerId: string, answer: { errCode: number; errMsg: string }): Promise<PaymentResult> {
    const order = this.openOrder(orderNo, playerId)
    await this.store.mutate((state) => {
      const stored = state.orders.get(order.orderNo)!
      stored.status = OrderStatus.CLOSED
      stored.closedAt = isoTime(this.clock)
    }, TABLES_ONLY)
    this.emit('order.closed', order)
    return this.settle({ ...answer, orderNo })
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
