import { Router, type RequestHandler, type Response } from 'express'
import { jsonBody, rawJsonBody } from '@superapp-sim/game-sdk/express'
import { z } from 'zod'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { signaturesEqual, signServerApi } from '@superapp-sim/game-sdk'
import type { Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import { defineRoute, mountRoutes } from '../http/routeDefinition'
import { OrderStatus, type MiniGame, type Order } from '../store/model'
import type { Store } from '../store/store'
import { AccessTokens } from './accessTokens'
import { notifyProvideGoodsBody, queryOrderBody, queryOrderView, refundOrderBody, refundOrderView, tokenQuery, tokenView, xpayOkView, xpayQuery } from './schemas'
import { parseWechatQuery, sendWechatRefusal, wechatQuery, wechatRefusals, type ErrcodeByCode, type QueryParamErrcodes } from './wechatReply'
import { leftFee } from '../orders/orderMoney'
import type { RefundService } from '../refunds/refundService'

/**
 * The xpay family's errcode for a refusal that names none of its own (WeChat's virtual
 * payment error table). An unknown order, or one not in a state the call allows, has no
 * published code: the parameter error 268490002 is the simulator's convention for both.
 */
const XPAY_ERRCODES: ErrcodeByCode = {
  VALIDATION_FAILED: ServerErrcode.XPAY_PARAMETER_ERROR,
  NOT_FOUND: ServerErrcode.XPAY_PARAMETER_ERROR,
  CONFLICT: ServerErrcode.XPAY_PARAMETER_ERROR,
  FORBIDDEN: ServerErrcode.XPAY_SIGNATURE_ERROR,
  UNAUTHENTICATED: ServerErrcode.INVALID_CREDENTIAL,
  // A body the JSON guard refused: not sent as application/json, empty, or not JSON.
  UNSUPPORTED_MEDIA_TYPE: ServerErrcode.DATA_FORMAT_ERROR,
  PAYLOAD_TOO_LARGE: ServerErrcode.DATA_FORMAT_ERROR,
}
/** /cgi-bin/token's refusals (getAccessToken page, global codes). */
const TOKEN_ERRCODES: ErrcodeByCode = { INVALID_APP_SECRET: ServerErrcode.INVALID_CREDENTIAL }

const TOKEN_QUERY_ERRCODES: Record<keyof z.infer<typeof tokenQuery>, QueryParamErrcodes> = {
  grant_type: { missing: [ServerErrcode.INVALID_GRANT_TYPE, 'invalid grant_type'], invalid: [ServerErrcode.INVALID_GRANT_TYPE, 'invalid grant_type'] },
  appid: { missing: [ServerErrcode.APPID_MISSING, 'appid missing'], invalid: [ServerErrcode.INVALID_APPID, 'invalid appid'] },
  secret: { missing: [ServerErrcode.APPSECRET_MISSING, 'appsecret missing'], invalid: [ServerErrcode.INVALID_CREDENTIAL, 'invalid credential'] },
}
const XPAY_QUERY_ERRCODES: Record<keyof z.infer<typeof xpayQuery>, QueryParamErrcodes> = {
  access_token: { missing: [ServerErrcode.ACCESS_TOKEN_MISSING, 'access_token missing'], invalid: [ServerErrcode.INVALID_CREDENTIAL, 'invalid credential'] },
  pay_sig: { missing: [ServerErrcode.XPAY_SIGNATURE_ERROR, 'signature error'], invalid: [ServerErrcode.XPAY_SIGNATURE_ERROR, 'signature error'] },
}

/** What the server API's handlers work on: one sandbox's services and its access tokens. */
export interface ServerApiServices {
  store: Store
  delivery: DeliveryEngine
  refunds: RefundService
  tokens: AccessTokens
}

/** The mini game an xpay call was authorized for (by `authorizeXpay`, before the route's body is parsed). */
function callerOf(res: Response): MiniGame {
  return res.locals.xpayGame as MiniGame
}

/**
 * Checks what every xpay call carries, before its body is read: a valid access_token and
 * pay_sig = hex(HMAC-SHA256(AppKey, uri + "&" + raw body)), uri being the path without query.
 */
function authorizeXpay(store: Store, tokens: AccessTokens): RequestHandler {
  return (req, res, next) => {
    const { access_token, pay_sig } = parseWechatQuery(xpayQuery, req.query, XPAY_QUERY_ERRCODES)
    const appId = tokens.verify(access_token)
    const game = store.state.miniGames.find((g) => g.appId === appId)!
    // The JSON guard in front of these routes kept the bytes as sent: pay_sig is over them.
    const raw = rawJsonBody(req)?.toString('utf8')
    if (raw === undefined) throw new SimulatorError('VALIDATION_FAILED', `send the call's parameters as a JSON body with Content-Type: application/json`)
    if (!signaturesEqual(signServerApi(game.appKey, req.path, raw), pay_sig)) {
      throw new SimulatorError('FORBIDDEN', `signature error: pay_sig is not HMAC-SHA256(AppKey, "${req.path}&" + the exact request body)`)
    }
    res.locals.xpayGame = game
    next()
  }
}

function openidError(ids: { order_id?: string; wx_order_id?: string }): SimulatorError {
  return new SimulatorError('NOT_FOUND', `openid error: order ${ids.order_id ?? ids.wx_order_id} is not that openid's`, { errcode: ServerErrcode.XPAY_OPENID_ERROR })
}

export function findOrderOf(store: Store, game: MiniGame, ids: { order_id?: string; wx_order_id?: string }): Order {
  const byHostNumber = ids.wx_order_id ? store.state.orders.get(ids.wx_order_id) : undefined
  const order = ids.wx_order_id
    ? byHostNumber?.appId === game.appId
      ? byHostNumber
      : undefined
    : store.state.orders.firstByIndex('outTradeNo', `${game.appId}\n${ids.order_id}`)
  if (!order) throw new SimulatorError('NOT_FOUND', `no order ${ids.wx_order_id ?? ids.order_id} for ${game.appId}`)
  return order
}

const route = defineRoute<ServerApiServices>()
const XPAY_REFUSALS = "Refusals are HTTP 200 `{ errcode, errmsg }` (WeChat's shape; docs/protocol.md lists the codes and their sources):"
const XPAY_COMMON_REFUSALS = [
  '200 `{ errcode: 268490003 }`: pay_sig missing or wrong (signature error)',
  '200 `{ errcode: 41001 | 40001 | 42001 }`: access_token missing, unknown or expired',
  "200 `{ errcode: 268490002 }`: a body that is not JSON or breaks the field rules; an unknown order, or one not paid or refunded (the last two: the simulator's convention)",
]

/** /cgi-bin/token: the access token the xpay calls carry. */
export const TOKEN_ROUTES = {
  token: route({
    method: 'GET',
    path: '/cgi-bin/token',
    summary: "An access_token for the xpay APIs (WeChat shape), valid 2 hours. Called by the game's server.",
    query: tokenQuery,
    response: tokenView,
    errors: [
      XPAY_REFUSALS,
      '200 `{ errcode: 40013 }`: unknown appid; `40001`: wrong secret; `40002`: grant_type is not client_credential; `41002 | 41004`: appid or secret missing',
    ],
    handler: ({ tokens }, { query: { appid, secret } }) => tokens.issue(appid, secret),
  }),
}

/**
 * The host's xpay APIs in WeChat's shape (docs/protocol.md section 4), each signed with
 * pay_sig and carrying an access_token: `notify_provide_goods` (the game's server says it
 * delivered an order, so the host stops retrying), `query_order`, `refund_order`.
 */
export const XPAY_ROUTES = {
  notifyProvideGoods: route({
    method: 'POST',
    path: '/xpay/notify_provide_goods',
    summary:
      'The game\'s server says it delivered an order by other means: the order becomes delivered (status 4) and the host stops retrying its notification. `pay_sig` = hex(HMAC-SHA256(AppKey, "/xpay/notify_provide_goods&" + raw body)).',
    query: xpayQuery,
    body: notifyProvideGoodsBody,
    inputName: { body: 'notify_provide_goods body' },
    response: xpayOkView,
    errors: [XPAY_REFUSALS, ...XPAY_COMMON_REFUSALS],
    handler: async ({ store, delivery }, { body: ids }, res) => {
      const order = findOrderOf(store, callerOf(res), ids)
      if (order.status < OrderStatus.PAID || order.status === OrderStatus.CLOSED) {
        throw new SimulatorError('CONFLICT', `order ${order.orderNo} is not paid, so there is nothing to deliver`)
      }
      if (order.status === OrderStatus.REFUNDED) throw new SimulatorError('CONFLICT', `order ${order.orderNo} was refunded`)
      await delivery.markDelivered(order.orderNo)
      return { errcode: 0 as const, errmsg: 'ok' as const }
    },
  }),
  queryOrder: route({
    method: 'POST',
    path: '/xpay/query_order',
    summary:
      "The host's view of an order, WeChat shape: status (0 init … 7 refund failed), order_fee, paid_fee, refund_fee, left_fee, paid_time, provide_time. Signed like every xpay call.",
    query: xpayQuery,
    body: queryOrderBody,
    inputName: { body: 'query_order body' },
    response: queryOrderView,
    errors: [XPAY_REFUSALS, ...XPAY_COMMON_REFUSALS, "200 `{ errcode: 268490001 }`: openid is not the order's player"],
    handler: ({ store }, { body: ids }, res) => {
      const order = findOrderOf(store, callerOf(res), ids)
      if (ids.openid && ids.openid !== order.openid) throw openidError(ids)
      const seconds = (iso?: string) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0)
      return {
        errcode: 0 as const,
        errmsg: 'ok' as const,
        order: {
          order_id: order.outTradeNo,
          wx_order_id: order.orderNo,
          status: order.status,
          biz_type: 0 as const,
          order_fee: order.totalPrice,
          paid_fee: order.status >= OrderStatus.PAID && order.status !== OrderStatus.CLOSED ? order.totalPrice : 0,
          refund_fee: order.refundedAmount,
          left_fee: order.status >= OrderStatus.PAID && order.status <= OrderStatus.DELIVERED ? leftFee(store.state, order) : 0,
          order_type: 0 as const,
          product_id: order.productId,
          quantity: order.quantity,
          openid: order.openid,
          env_type: order.env,
          create_time: seconds(order.createdAt),
          paid_time: seconds(order.paidAt),
          provide_time: seconds(order.deliveredAt),
        },
      }
    },
  }),
  refundOrder: route({
    method: 'POST',
    path: '/xpay/refund_order',
    summary:
      "Starts a refund from the game's server: `refund_fee` in (0, left_fee], `left_fee` must be the order's current refundable amount, `refund_order_id` 8 to 32 characters and idempotent (the same id and amount returns the same refund; another amount is refused). The refund completes at once; the refund notification follows.",
    query: xpayQuery,
    body: refundOrderBody,
    inputName: { body: 'refund_order body' },
    response: refundOrderView,
    errors: [
      XPAY_REFUSALS,
      ...XPAY_COMMON_REFUSALS,
      "200 `{ errcode: 268490001 }`: openid is not the order's player; `268490016`: left_fee is not the order's refundable amount; `268490002`: refund_fee out of range, not paid, fully refunded, or refund_order_id reused for another refund",
    ],
    handler: async ({ store, refunds }, { body: input }, res) => {
      const order = findOrderOf(store, callerOf(res), input)
      if (order.openid !== input.openid) throw openidError(input)
      const refund = await refunds.startByDeveloper(order, { refundOrderId: input.refund_order_id, refundFee: input.refund_fee, leftFee: input.left_fee, reason: input.refund_reason })
      return { errcode: 0 as const, errmsg: 'ok' as const, refund_order_id: refund.refundOrderId, refund_wx_order_id: refund.refundNo, pay_refund_order_id: refund.refundNo }
    },
  }),
}

/**
 * The server API's routers, mounted from TOKEN_ROUTES and XPAY_ROUTES: each refuses in
 * WeChat's shape (HTTP 200 with errcode/errmsg) through its own error handler.
 */
export function xpayRoutes(store: Store, clock: Clock, delivery: DeliveryEngine, refunds: RefundService): Router {
  const services: ServerApiServices = { store, delivery, refunds, tokens: new AccessTokens(store, clock) }
  const token = mountRoutes(Router(), Object.values(TOKEN_ROUTES), services, () => [wechatQuery(tokenQuery, TOKEN_QUERY_ERRCODES)])
  token.use(wechatRefusals(TOKEN_ERRCODES))
  const xpay = Router()
  // JSON bodies only, kept byte for byte for pay_sig; a refusal in WeChat's shape as well as ours.
  xpay.use('/xpay', jsonBody({ limit: '16kb', keepRaw: true, onRefuse: (refusal, _req, res) => sendWechatRefusal(res, new SimulatorError(refusal.code, refusal.message), XPAY_ERRCODES) }))
  mountRoutes(xpay, Object.values(XPAY_ROUTES), services, () => [authorizeXpay(store, services.tokens)])
  xpay.use(wechatRefusals(XPAY_ERRCODES))
  return Router().use(token, xpay)
}
