import { orderDetail } from '../orders/records'
import type { SimulatorCore } from '../sandbox/core'
import type { Order } from '../store/model'

/** What QA reads of an order: the console's order detail (row, notifications with attempts, refunds) and its game. */
export function orderForQa(core: SimulatorCore, order: Order) {
  return { appId: order.appId, ...orderDetail(core.store.state, order) }
}
export type QaOrder = ReturnType<typeof orderForQa>
