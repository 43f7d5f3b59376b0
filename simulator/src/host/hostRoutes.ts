import { Router, json } from 'express'
import { jsonBody } from '../http/guard'
import { defineRoute, mountRoutes } from '../http/routeDefinition'
import type { LoginService } from '../login/login'
import { leftFee } from '../orders/orderMoney'
import type { PaymentService } from '../payments/paymentService'
import { paymentRequestSchema } from '../payments/validatePayment'
import type { RefundService } from '../refunds/refundService'
import { OrderStatus } from '../store/model'
import { openidFor } from '../store/ids'
import type { Store } from '../store/store'
import { requireShellPage, relayRequest } from './requestRelay'
import { relayRequestSchema, relayResultSchema } from './requestWire'
import {
  hostConfigView,
  hostLoginView,
  loginBody,
  myOrdersQuery,
  myOrdersView,
  orderNoParam,
  paymentResultView,
  refundRequestBody,
  refundRequestView,
  sheetAnswerBody,
  startPaymentView,
} from './schemas'

/** What the host API's handlers work on: one sandbox's services. */
export interface HostServices {
  store: Store
  logins: LoginService
  payments: PaymentService
  refunds: RefundService
  fetch: typeof fetch
}

const route = defineRoute<HostServices>()
const ORDER_NUMBER = 'order number'

/**
 * The host shell's own API (below /host/api): what the superapp client does on the player's
 * behalf (wx.login, opening and answering the payment sheet, "My orders", wx.request). The
 * game never calls it: the game talks to the host shell page, which calls this.
 */
export const HOST_API_ROUTES = {
  config: route({
    method: 'GET',
    path: '/config',
    summary: "What the host shell needs to start: the superapp, its test players and mini games (`gameUrl` is '' for one without a web game; it can still run a package).",
    response: hostConfigView,
    handler: ({ store }) => {
      const { superapp, players, miniGames } = store.state
      return {
        superapp: { name: superapp.name, currencies: superapp.currencies },
        players: players.map(({ id, nickname, avatarColor }) => ({ id, nickname, avatarColor })),
        // Every mini game: one without a game URL still runs a package (?package=<url>).
        games: miniGames.map(({ appId, name, gameUrl }) => ({ appId, name, gameUrl })),
      }
    },
  }),
  // "My orders" of the host shell: the player's own orders in this mini game, newest first.
  myOrders: route({
    method: 'GET',
    path: '/orders',
    summary: "\"My orders\": the player's orders in one mini game, newest first. `status` is WeChat's order status number.",
    query: myOrdersQuery,
    inputName: 'orders query',
    response: myOrdersView,
    errors: ['400 VALIDATION_FAILED'],
    handler: ({ store }, { query: { appId, playerId } }) => {
      const orders = store.state.orders
        .byIndex('player', `${appId}\n${playerId}`)
        .map(({ orderNo, outTradeNo, productId, item, quantity, totalPrice, currency, status, deliveryFailed, createdAt, paidAt, deliveredAt, refundedAmount }) => ({
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
          refunds: store.state.refunds
            .byIndex('order', orderNo)
            .map(({ refundNo, amount, status: refundStatus, reason, createdAt: at, rejectReason }) => ({ refundNo, amount, status: refundStatus, reason, createdAt: at, rejectReason })),
        }))
        .reverse()
      return { orders }
    },
  }),
  // A player asks for a refund of a paid order from "My orders"; the superapp decides.
  requestRefund: route({
    method: 'POST',
    path: '/orders/:orderNo/refund-requests',
    summary:
      'The player asks for a refund of what is left of a paid order ("My orders"). It waits for the superapp (or is approved at once with the auto-approve setting).',
    params: orderNoParam,
    body: refundRequestBody,
    inputName: { params: ORDER_NUMBER, body: 'refund request' },
    response: refundRequestView,
    status: 201,
    errors: ['400 VALIDATION_FAILED: no reason', "404: not this player's order", '409: not paid, closed, fully refunded, or a request already waiting'],
    handler: async ({ refunds }, { params: { orderNo }, body: { playerId, reason } }) => {
      const refund = await refunds.requestByPlayer(orderNo, playerId, reason)
      return { refund: { refundNo: refund.refundNo, amount: refund.amount, status: refund.status } }
    },
  }),
  login: route({
    method: 'POST',
    path: '/login',
    summary: 'wx.login inside the host: issues a single-use code for the player in this mini game.',
    body: loginBody,
    inputName: 'login request',
    response: hostLoginView,
    errors: ['400 VALIDATION_FAILED', '404 NOT_FOUND: unknown appId or player'],
    // The openid is for the shell's own player chip (the name beside the id the game shows);
    // the game gets only the code, as from the real wx.login.
    handler: ({ logins }, { body: { appId, playerId } }) => ({ code: logins.issue(appId, playerId), errMsg: 'login:ok' as const, openid: openidFor(appId, playerId) }),
  }),
  startPayment: route({
    method: 'POST',
    path: '/payments',
    summary:
      'wx.requestMidasPaymentGameItem as the host shell forwards it. `params` is what the game passed, unparsed. Validated per docs/protocol.md; a refusal is a protocol outcome (HTTP 200 with the errCode, see the errCode table in README.md), an accepted call creates the order (status 1) and returns the payment sheet.',
    body: paymentRequestSchema,
    inputName: 'payment request',
    response: startPaymentView,
    errors: ['400 VALIDATION_FAILED: the request itself is malformed'],
    handler: ({ payments }, { body }) => payments.start(body),
  }),
  confirm: route({
    method: 'POST',
    path: '/payments/:orderNo/confirm',
    summary: 'The player pressed Pay: the order is paid (status 2) and its delivery notification is sent.',
    params: orderNoParam,
    body: sheetAnswerBody,
    inputName: { params: ORDER_NUMBER, body: 'sheet answer' },
    response: paymentResultView,
    errors: ['404 NOT_FOUND', '409 CONFLICT: already answered'],
    handler: ({ payments }, { params: { orderNo }, body: { playerId } }) => payments.confirm(orderNo, playerId),
  }),
  // The sheet's answer when a test policy (not the player) answers it: waits until it has.
  outcome: route({
    method: 'GET',
    path: '/payments/:orderNo/outcome',
    summary: "The sheet's answer (`?playerId=`), waiting until the player or the sheet policy gave it: what the browser shell waits on when a test policy answers.",
    params: orderNoParam,
    query: sheetAnswerBody,
    inputName: { params: ORDER_NUMBER, query: 'sheet query' },
    response: paymentResultView,
    errors: ['404: unknown payment, or opened before a restart'],
    handler: ({ payments }, { params: { orderNo }, query: { playerId } }) => payments.outcome(orderNo, playerId),
  }),
  cancel: route({
    method: 'POST',
    path: '/payments/:orderNo/cancel',
    summary: 'The player pressed Cancel: the order is closed (status 6).',
    params: orderNoParam,
    body: sheetAnswerBody,
    inputName: { params: ORDER_NUMBER, body: 'sheet answer' },
    response: paymentResultView,
    errors: ['404 NOT_FOUND', '409 CONFLICT: already answered'],
    handler: ({ payments }, { params: { orderNo }, body: { playerId } }) => payments.cancel(orderNo, playerId),
  }),
}

/**
 * `POST /host/api/request`, the host's side of a mini game's `wx.request` (requestRelay.ts).
 * Apart from HOST_API_ROUTES: it is for the host shell page only and takes larger bodies, so
 * it is mounted before their 32 kB JSON guard, with guards of its own.
 */
export const REQUEST_RELAY_ROUTES = {
  relay: route({
    method: 'POST',
    path: '/request',
    summary:
      "wx.request of a mini game package, relayed by the simulator as the host's network stack makes it on a device (no CORS). For the host shell page only: the `Origin` must be the simulator's own and the body application/json. The URL must be in the mini game's request domains (loopback allowed unless turned off), checked again on every redirect; the platform's referer `https://appservice.wx.com/{appid}/devtools/page-frame.html` is set. A refusal or a network failure is an answer, not an HTTP error: `{ ok: false, errMsg: \"request:fail url not in domain list\", errno: 600002, hint }` (refused, nothing sent), `request:fail timeout` or `request:fail <reason>`.",
    body: relayRequestSchema,
    inputName: 'request relay',
    response: relayResultSchema,
    errors: ['400 VALIDATION_FAILED: malformed, or not application/json', '403 FORBIDDEN: not the host shell page (another or no Origin)', '404 NOT_FOUND: unknown appId'],
    handler: ({ store, fetch }, { body }, res) => relayRequest(store, fetch, body, res),
  }),
}

/** The host API's routers (below /host/api): the relay with its own guards first, then the rest behind a 32 kB JSON guard. */
export function hostApiRoutes(services: HostServices): Router {
  const router = Router()
  // The relay: the shell page only, and JSON bodies up to 2 MB (1 MiB of game data travels base64-encoded inside).
  mountRoutes(router, Object.values(REQUEST_RELAY_ROUTES), services, () => [requireShellPage, json({ limit: '2mb' })])
  router.use(jsonBody('32kb'))
  return mountRoutes(router, Object.values(HOST_API_ROUTES), services)
}
