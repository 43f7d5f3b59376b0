import { SimulatorError } from '../errors'
import { afterSalesRange, optionalRange } from '../orders/dateRange'
import { streamExport } from '../orders/exports'
import { matchingOrders, matchingRefunds, orderDetail, orderRow, refundRow, type OrderRow, type RefundRow } from '../orders/records'
import { currentAccount } from './auth'
import {
  appIdParam,
  exportQuery,
  oneRefundView,
  orderDetailView,
  orderParams,
  ordersPageView,
  ordersQuery,
  pendingRefundsView,
  refundParams,
  refundsPageView,
  refundsQuery,
  rejectBody,
} from './schemas'
import { consoleRoute, signedInErrors } from './services'
import { findVisibleGame } from './visibility'

const ORDER_COLUMNS = [
  'orderNo', 'outTradeNo', 'statusName', 'status', 'partlyRefunded', 'productId', 'itemName', 'quantity', 'unitPrice', 'totalPrice',
  'refundedAmount', 'leftFee', 'currency', 'playerId', 'playerName', 'openid', 'env', 'deliveryFailed', 'createdAt', 'paidAt', 'deliveredAt', 'closedAt',
] as const satisfies readonly (keyof OrderRow)[]
const REFUND_COLUMNS = [
  'refundNo', 'refundOrderId', 'orderNo', 'outTradeNo', 'amount', 'reason', 'source', 'status', 'playerId', 'playerName', 'createdAt', 'decidedBy',
  'decidedAt', 'rejectReason', 'succeededAt',
] as const satisfies readonly (keyof RefundRow)[]

const SPREADSHEET = 'text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The order record's filter as the query gives it. */
function orderFilter({ from, to, status, playerId, productId, q }: { from?: string; to?: string; status?: number; playerId?: string; productId?: string; q?: string }) {
  return { ...optionalRange(from, to), status, playerId, productId, q }
}

/** Order record and After-sales record (seed sections 4 and 5), and the superapp's refund queue. */
export const ORDER_ROUTES = {
  list: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/orders',
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'Order record: orders of a mini game, newest first, filtered by creation date, status, player (id or openid), product and order number / outTradeNo, paginated.',
    params: appIdParam,
    query: ordersQuery,
    response: ordersPageView,
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params, query }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
      const { page, pageSize } = query
      const rows: OrderRow[] = []
      let total = 0
      for (const order of matchingOrders(store.state, game.appId, orderFilter(query))) {
        if (total >= (page - 1) * pageSize && rows.length < pageSize) rows.push(orderRow(store.state, order))
        total++
      }
      return { orders: rows, page, pageSize, total }
    },
  }),
  exportOrders: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/orders/export',
    auth: 'bearer',
    capability: 'orders.export',
    summary:
      'The current order filter as CSV (csv-stringify; UTF-8 with a byte order mark, CRLF, formula-like text behind a leading apostrophe) or .xlsx (exceljs streaming writer), streamed row by row.',
    params: appIdParam,
    query: exportQuery.extend(ordersQuery.shape),
    content: { type: SPREADSHEET, description: 'the order rows in the columns of the order record' },
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async ({ store }, { params, query }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
      const filter = orderFilter(query)
      const rows = (function* () {
        for (const order of matchingOrders(store.state, game.appId, filter)) yield orderRow(store.state, order)
      })()
      await streamExport(res, query.format, `orders-${game.appId}`, ORDER_COLUMNS, rows)
    },
  }),
  one: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/orders/:orderNo',
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'One order: the item snapshot, prices, the player, timestamps, its notifications with every delivery attempt, and its refunds.',
    params: orderParams,
    response: orderDetailView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params: { appId, orderNo } }, res) => {
      const game = findVisibleGame(store, currentAccount(res), appId)
      const order = store.state.orders.get(orderNo)
      if (!order || order.appId !== game.appId) throw new SimulatorError('NOT_FOUND', `no order ${orderNo} in ${appId}`)
      return orderDetail(store.state, order)
    },
  }),
  refunds: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/refunds',
    auth: 'bearer',
    capability: 'afterSales.view',
    summary:
      'After-sales record: refunds by initiation date on the simulator clock, by default the last 7 days (today included); a range reaching back more than 12 months is refused. Search by order number, outTradeNo, refund number or refund_order_id.',
    params: appIdParam,
    query: refundsQuery,
    response: refundsPageView,
    errors: signedInErrors('400 VALIDATION_FAILED: bad date, reversed range, or more than 12 months back (names the earliest date)', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store, clock }, { params, query: { from, to, q } }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
      const range = afterSalesRange(clock.now(), from, to)
      return { from: range.from, to: range.to, refunds: [...matchingRefunds(store.state, game.appId, range, q)].map((refund) => refundRow(store.state, refund)) }
    },
  }),
  exportRefunds: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/refunds/export',
    auth: 'bearer',
    capability: 'afterSales.export',
    summary: 'The after-sales filter as CSV or .xlsx, streamed.',
    params: appIdParam,
    query: exportQuery.extend(refundsQuery.shape),
    content: { type: SPREADSHEET, description: 'the refund rows in the columns of the after-sales record' },
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async ({ store, clock }, { params, query: { format, from, to, q } }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
      const range = afterSalesRange(clock.now(), from, to)
      const rows = (function* () {
        for (const refund of matchingRefunds(store.state, game.appId, range, q)) yield refundRow(store.state, refund)
      })()
      await streamExport(res, format, `refunds-${game.appId}-${range.from}-${range.to}`, REFUND_COLUMNS, rows)
    },
  }),
  // The superapp's queue of players' refund requests.
  pendingRefunds: consoleRoute({
    method: 'GET',
    path: '/refunds/pending',
    auth: 'bearer',
    capability: 'approvals.view',
    summary: "The superapp's queue of players' refund requests.",
    response: pendingRefundsView,
    errors: signedInErrors('403 FORBIDDEN'),
    handler: ({ store }) => ({ refunds: store.state.refunds.byIndex('awaitingApproval', 'pending').map((refund) => refundRow(store.state, refund)).reverse() }),
  }),
  approveRefund: consoleRoute({
    method: 'POST',
    path: '/refunds/:refundNo/approve',
    auth: 'bearer',
    capability: 'approvals.decide',
    summary: 'Approves a refund request: the order records it and the refund notification is sent.',
    params: refundParams,
    response: oneRefundView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: already decided'),
    handler: async ({ refunds, store }, { params: { refundNo } }, res) => ({ refund: refundRow(store.state, await refunds.approve(refundNo, currentAccount(res))) }),
  }),
  rejectRefund: consoleRoute({
    method: 'POST',
    path: '/refunds/:refundNo/reject',
    auth: 'bearer',
    capability: 'approvals.decide',
    summary: 'Rejects a refund request with a reason.',
    params: refundParams,
    body: rejectBody,
    optionalBody: true,
    inputName: 'rejection',
    response: oneRefundView,
    errors: signedInErrors('400 VALIDATION_FAILED: no reason', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT'),
    handler: async ({ refunds, store }, { params: { refundNo }, body: { reason } }, res) => ({ refund: refundRow(store.state, await refunds.reject(refundNo, currentAccount(res), reason)) }),
  }),
}
