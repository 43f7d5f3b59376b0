import { ErrCode, type GamePayments } from '@superapp-sim/game-sdk'
import { getInventory, postOrder, type Inventory, type ShopItem } from '../api'
import { describeError } from './errors'
import type { Session } from './session'
import type { ShopPanel } from './ui/ShopPanel'
import type { StatusLine } from './ui/StatusLine'

export interface PurchaseFlowOptions {
  session: Session
  payments: GamePayments
  status: Pick<StatusLine, 'set' | 'state'>
  shop: Pick<ShopPanel, 'setBusy' | 'markUnavailable'>
  /** Renders a server inventory; `delivered` names the item that just arrived. */
  showInventory(inventory: Inventory, delivered?: string): void
  /** Default 300 ms. */
  pollIntervalMs?: number
  /** How long to wait for the grant before telling the player it is late. Default 20 s. */
  pollTimeoutMs?: number
}

/**
 * One purchase at a time: server order -> host payment sheet -> wait for the server to
 * grant it. A "paid" result only means the player paid; the item exists once the host's
 * delivery notification reached our server, so the inventory comes from the server alone.
 */
export function createPurchaseFlow(options: PurchaseFlowOptions): (item: ShopItem) => Promise<void> {
  const { session, payments, status, shop } = options
  const pollIntervalMs = options.pollIntervalMs ?? 300
  const pollTimeoutMs = options.pollTimeoutMs ?? 20_000
  let running = false
  /** The order the "still on its way" status is about. */
  let lateOrder: string | undefined

  return async function purchase(item: ShopItem): Promise<void> {
    if (running) return
    running = true
    shop.setBusy(true, item.productId)
    try {
      status.set('ordering', `Preparing ${item.name}…`)
      const order = await session.authed((token) => postOrder(token, item.productId))
      status.set('paying', `Confirm ${item.name} in the payment sheet…`)
      const result = await payments.purchase({ signData: order.signData, paySig: order.paySig, signature: order.signature })

      switch (result.status) {
        case 'paid': {
          status.set('waiting-delivery', 'Payment done, waiting for delivery…')
          const outcome = await waitForGrant(session, order.outTradeNo, pollIntervalMs, pollTimeoutMs)
          if (outcome.inventory) options.showInventory(outcome.inventory, outcome.delivered ? item.productId : undefined)
          if (outcome.delivered) {
            status.set('delivered', `${item.name} delivered!`)
          } else {
            lateOrder = order.outTradeNo
            status.set('delivery-late', `Payment done, ${item.name} is still on its way…`)
            keepWaiting(order.outTradeNo, item)
          }
          break
        }
        case 'cancelled':
          status.set('cancelled', 'Purchase cancelled')
          break
        case 'failed':
          if (result.errCode === ErrCode.ITEM_NOT_RELEASED) shop.markUnavailable(item.productId)
          status.set('failed', `Could not buy: ${result.reason} (errCode ${result.errCode})`)
          break
      }
    } catch (error) {
      status.set('failed', `Could not buy: ${describeError(error)}`)
    } finally {
      running = false
      shop.setBusy(false)
    }
  }

  /** A late delivery still lands: keep asking, slowly, in the background. */
  function keepWaiting(outTradeNo: string, item: ShopItem): void {
    void waitForGrant(session, outTradeNo, 2_000, 120_000).then((outcome) => {
      if (!outcome.delivered || !outcome.inventory) return
      options.showInventory(outcome.inventory, item.productId)
      // Only replace the status if nothing newer has been said since.
      if (status.state === 'delivery-late' && lateOrder === outTradeNo && !running) status.set('delivered', `${item.name} delivered!`)
    })
  }
}

interface GrantOutcome {
  delivered: boolean
  /** The last inventory the server returned, if any call succeeded. */
  inventory?: Inventory
}

/** Polls GET /api/inventory until a grant for `outTradeNo` shows up or time runs out. */
async function waitForGrant(session: Session, outTradeNo: string, intervalMs: number, timeoutMs: number): Promise<GrantOutcome> {
  const deadline = Date.now() + timeoutMs
  let inventory: Inventory | undefined
  for (;;) {
    try {
      inventory = await session.authed(getInventory)
      if (inventory.grants.some((grant) => grant.outTradeNo === outTradeNo)) return { delivered: true, inventory }
    } catch {
      // A dropped poll is not a failed purchase: the player has paid, keep asking.
    }
    if (Date.now() + intervalMs > deadline) return { delivered: false, inventory }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
