import { Router } from 'express'
import { jsonBody } from '../http/guard'
import type { LoginService } from '../login/login'
import { parseInput } from '../http/validate'
import type { PaymentService } from '../payments/paymentService'
import { paymentRequestSchema } from '../payments/validatePayment'
import type { Store } from '../store/store'
import type { RefundService } from '../refunds/refundService'
import { leftFee } from '../orders/orderMoney'
import { OrderStatus } from '../store/model'
import { openidFor } from '../store/ids'
import { loginBody, myOrdersQuery, orderNoParam, refundRequestBody, sheetAnswerBody } from './schemas'

/**
 * The host shell's own API: what the superapp client does on the player's behalf
 * (wx.login, opening and answering the payment sheet). The game never calls it: the game
 * talks to the host shell page, which calls this.
 */
export function hostApiRoutes(store: Store, logins: LoginService, payments: PaymentService, refunds: RefundService): Router {
  const router = Router()
  router.use(jsonBody('32kb'))

  router.get('/config', (_req, res) => {
    const { superapp, players, miniGames } = store.state
    res.json({
      superapp: { name: superapp.name, currencies: superapp.currencies },
      players: players.map(({ id, nickname, avatarColor }) => ({ id, nickname, avatarColor })),
      // Every mini game: one without a game URL still runs a package (?package=<url>).
      games: miniGames.map(({ appId, name, gameUrl }) => ({ appId, name, gameUrl })),
    })
  })

  // "My orders" of the host shell: the player's own orders in this mini game, newest first.
  router.get('/orders', (req, res) => {
    const { appId, playerId } = parseInput(myOrdersQuery, req.query, 'orders query')
    const orders = store.state.orders
      .byIndex('player', `${appId}\n${playerId}`)
      .map(({ orderNo, outTradeNo, productId, item, quantity, totalPrice, currency, status, deliveryFailed, createdAt, paidAt, deliveredAt, refundedAmount }, _i, _all) => ({
        orderNo,
        outTradeNo,
        productId,
        name: item.name,
        quantity,
        totalPrice,
        currency,
        status,
        deliveryFailed,
        createdAt,
        paidAt,
        deliveredAt,
        refundedAmount,
        refundable: status >= OrderStatus.PAID && status <= OrderStatus.DELIVERED ? leftFee(store.state, store.state.orders.get(orderNo)!) : 0,
        refunds: store.state.refunds.byIndex('order', orderNo).map(({ refundNo, amount, status: refundStatus, reason, createdAt: at, rejectReason }) => ({ refundNo, amount, status: refundStatus, reason, createdAt: at, rejectReason })),
      }))
      .reverse()
    res.json({ orders })
  })

  // A player asks for a refund of a paid order from "My orders"; the superapp decides.
  router.post('/orders/:orderNo/refund-requests', async (req, res) => {
    const { orderNo } = parseInput(orderNoParam, req.params, 'order number')
    const { playerId, reason } = parseInput(refundRequestBody, req.body, 'refund request')
    const refund = await refunds.requestByPlayer(orderNo, playerId, reason)
    res.status(201).json({ refund: { refundNo: refund.refundNo, amount: refund.amount, status: refund.status } })
  })

  router.post('/login', (req, res) => {
    const { appId, playerId } = parseInput(loginBody, req.body, 'login request')
    // The openid is for the shell's own player chip (the name beside the id the game shows);
    // the game gets only the code, as from the real wx.login.
    res.json({ code: logins.issue(appId, playerId), errMsg: 'login:ok', openid: openidFor(appId, playerId) })
  })

  router.post('/payments', async (req, res) => {
    const request = parseInput(paymentRequestSchema, req.body, 'payment request')
    res.json(await payments.start(request))
  })

  router.post('/payments/:orderNo/confirm', async (req, res) => {
    const { orderNo } = parseInput(orderNoParam, req.params, 'order number')
    const { playerId } = parseInput(sheetAnswerBody, req.body, 'sheet answer')
    res.json(await payments.confirm(orderNo, playerId))
  })

  // The sheet's answer when a test policy (not the player) answers it: waits until it has.
  router.get('/payments/:orderNo/outcome', async (req, res) => {
    const { orderNo } = parseInput(orderNoParam, req.params, 'order number')
    const { playerId } = parseInput(sheetAnswerBody, req.query, 'sheet query')
    res.json(await payments.outcome(orderNo, playerId))
  })

  router.post('/payments/:orderNo/cancel', async (req, res) => {
    const { orderNo } = parseInput(orderNoParam, req.params, 'order number')
    const { playerId } = parseInput(sheetAnswerBody, req.body, 'sheet answer')
    res.json(await payments.cancel(orderNo, playerId))
  })

  return router
}
