import { Router } from 'express'
import type { Clock } from '../clock'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import { afterSalesRange, optionalRange } from '../orders/dateRange'
import { streamExport } from '../orders/exports'
import { matchingOrders, matchingRefunds, orderDetail, orderRow, refundRow, type OrderRow, type RefundRow } from '../orders/records'
import type { RefundService } from '../refunds/refundService'
import type { Store } from '../store/store'
import { currentAccount, requireCapability } from './auth'
import { appIdParam, exportQuery, orderParams, ordersQuery, refundParams, refundsQuery, rejectBody } from './schemas'
import { findVisibleGame } from './visibility'

const ORDER_COLUMNS = [
  'orderNo', 'outTradeNo', 'statusName', 'status', 'partlyRefunded', 'productId', 'itemName', 'quantity', 'unitPrice', 'totalPrice',
  'refundedAmount', 'leftFee', 'currency', 'playerId', 'playerName', 'openid', 'env', 'deliveryFailed', 'createdAt', 'paidAt', 'deliveredAt', 'closedAt',
] as const satisfies readonly (keyof OrderRow)[]
const REFUND_COLUMNS = [
  'refundNo', 'refundOrderId', 'orderNo', 'outTradeNo', 'amount', 'reason', 'source', 'status', 'playerId', 'playerName', 'createdAt', 'decidedBy',
  'decidedAt', 'rejectReason', 'succeededAt',
] as const satisfies readonly (keyof RefundRow)[]

/** Order record and After-sales record (seed sections 4 and 5), and the superapp's refund queue. */
export function orderRoutes(store: Store, clock: Clock, refunds: RefundService): Router {
  const router = Router()

  const orderFilter = (query: unknown) => {
    const { from, to, status, playerId, productId, q, page, pageSize } = parseInput(ordersQuery, query, 'query')
    return { filter: { ...optionalRange(from, to), status, playerId, productId, q }, page, pageSize }
  }

  router.get('/minigames/:appId/orders', requireCapability('orders.view'), (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const { filter, page, pageSize } = orderFilter(req.query)
    const rows: OrderRow[] = []
    let total = 0
    for (const order of matchingOrders(store.state, game.appId, filter)) {
      if (total >= (page - 1) * pageSize && rows.length < pageSize) rows.push(orderRow(store.state, order))
      total++
    }
    res.json({ orders: rows, page, pageSize, total })
  })

  router.get('/minigames/:appId/orders/export', requireCapability('orders.export'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const { format } = parseInput(exportQuery, req.query, 'query')
    const { filter } = orderFilter(req.query)
    const rows = (function* () {
      for (const order of matchingOrders(store.state, game.appId, filter)) yield orderRow(store.state, order)
    })()
    await streamExport(res, format, `orders-${game.appId}`, ORDER_COLUMNS, rows)
  })

  router.get('/minigames/:appId/orders/:orderNo', requireCapability('orders.view'), (req, res) => {
    const { appId, orderNo } = parseInput(orderParams, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const order = store.state.orders.get(orderNo)
    if (!order || order.appId !== game.appId) throw new SimulatorError('NOT_FOUND', `no order ${orderNo} in ${appId}`)
    res.json(orderDetail(store.state, order))
  })

  router.get('/minigames/:appId/refunds', requireCapability('afterSales.view'), (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const { from, to, q } = parseInput(refundsQuery, req.query, 'query')
    const range = afterSalesRange(clock.now(), from, to)
    res.json({ from: range.from, to: range.to, refunds: [...matchingRefunds(store.state, game.appId, range, q)].map((refund) => refundRow(store.state, refund)) })
  })

  router.get('/minigames/:appId/refunds/export', requireCapability('afterSales.export'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const { format } = parseInput(exportQuery, req.query, 'query')
    const { from, to, q } = parseInput(refundsQuery, req.query, 'query')
    const range = afterSalesRange(clock.now(), from, to)
    const rows = (function* () {
      for (const refund of matchingRefunds(store.state, game.appId, range, q)) yield refundRow(store.state, refund)
    })()
    await streamExport(res, format, `refunds-${game.appId}-${range.from}-${range.to}`, REFUND_COLUMNS, rows)
  })

  // The superapp's queue of players' refund requests.
  router.get('/refunds/pending', requireCapability('approvals.view'), (_req, res) => {
    res.json({ refunds: store.state.refunds.byIndex('awaitingApproval', 'pending').map((refund) => refundRow(store.state, refund)).reverse() })
  })

  router.post('/refunds/:refundNo/approve', requireCapability('approvals.decide'), async (req, res) => {
    const { refundNo } = parseInput(refundParams, req.params, 'path')
    res.json({ refund: refundRow(store.state, await refunds.approve(refundNo, currentAccount(res))) })
  })

  router.post('/refunds/:refundNo/reject', requireCapability('approvals.decide'), async (req, res) => {
    const { refundNo } = parseInput(refundParams, req.params, 'path')
    const { reason } = parseInput(rejectBody, req.body ?? {}, 'rejection')
    res.json({ refund: refundRow(store.state, await refunds.reject(refundNo, currentAccount(res), reason)) })
  })

  return router
}
