import { Router, type Request } from 'express'
import { jsonBody, rawJsonBody } from '@superapp-sim/game-sdk/express'
import { z } from 'zod'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { signaturesEqual, signServerApi } from '@superapp-sim/game-sdk'
import type { Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import { OrderStatus, type MiniGame, type Order } from '../store/model'
import type { Store } from '../store/store'
import { AccessTokens } from './accessTokens'
import { notifyProvideGoodsBody, queryOrderBody, refundOrderBody, tokenQuery, xpayQuery } from './schemas'
import { parseWechatQuery, sendWechatRefusal, type ErrcodeByCode, type QueryParamErrcodes } from './wechatReply'
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

export interface XpayContext {
  game: MiniGame
  body: unknown
}

/**
 * Checks what every xpay call carries: a valid access_token and
 * pay_sig = hex(HMAC-SHA256(AppKey, uri + "&" + raw body)), uri being the path without query.
 */
function authorizeXpay(store: Store, tokens: AccessTokens, req: Request): XpayContext {
  const { access_token, pay_sig } = parseWechatQuery(xpayQuery, req.query, XPAY_QUERY_ERRCODES)
  const appId = tokens.verify(access_token)
  const game = store.state.miniGames.find((g) => g.appId === appId)!
  // The JSON guard in front of these routes kept the bytes as sent: pay_sig is over them.
  const raw = rawJsonBody(req)?.toString('utf8')
  if (raw === undefined) throw new SimulatorError('VALIDATION_FAILED', `send the call's parameters as a JSON body with Content-Type: application/json`)
  if (!signaturesEqual(signServerApi(game.appKey, req.path, raw), pay_sig)) {
    throw new SimulatorError('FORBIDDEN', `signature error: pay_sig is not HMAC-SHA256(AppKey, "${req.path}&" + the exact request body)`)
  }
  return { game, body: req.body as unknown }
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

/**
 * The host's server-to-server APIs in WeChat's xpay shape (docs/protocol.md section 4): the
 * access token, and `notify_provide_goods` (the game's server says it delivered an order,
 * so the host stops retrying). Refusals are HTTP 200 with WeChat's errcode/errmsg.
 */
export function xpayRoutes(store: Store, clock: Clock, delivery: DeliveryEngine, refunds: RefundService): Router {
  const tokens = new AccessTokens(store, clock)
  const router = Router()

  router.get('/cgi-bin/token', (req, res) => {
    try {
      const { appid, secret } = parseWechatQuery(tokenQuery, req.query, TOKEN_QUERY_ERRCODES)
      res.json(tokens.issue(appid, secret))
    } catch (error) {
      sendWechatRefusal(res, error, TOKEN_ERRCODES)
    }
  })

  // JSON bodies only, kept byte for byte for pay_sig; a refusal in WeChat's shape as well as ours.
  router.use('/xpay', jsonBody({ limit: '16kb', keepRaw: true, onRefuse: (refusal, _req, res) => sendWechatRefusal(res, new SimulatorError(refusal.code, refusal.message), XPAY_ERRCODES) }))

  router.post('/xpay/notify_provide_goods', async (req, res) => {
    try {
      const { game, body } = authorizeXpay(store, tokens, req)
      const ids = parseInput(notifyProvideGoodsBody, body, 'notify_provide_goods body')
      const order = findOrderOf(store, game, ids)
      if (order.status < OrderStatus.PAID || order.status === OrderStatus.CLOSED) {
        throw new SimulatorError('CONFLICT', `order ${order.orderNo} is not paid, so there is nothing to deliver`)
      }
      if (order.status === OrderStatus.REFUNDED) throw new SimulatorError('CONFLICT', `order ${order.orderNo} was refunded`)
      await delivery.markDelivered(order.orderNo)
      res.json({ errcode: 0, errmsg: 'ok' })
    } catch (error) {
      sendWechatRefusal(res, error, XPAY_ERRCODES)
    }
  })

  router.post('/xpay/query_order', (req, res) => {
    try {
      const { game, body } = authorizeXpay(store, tokens, req)
      const ids = parseInput(queryOrderBody, body, 'query_order body')
      const order = findOrderOf(store, game, ids)
      if (ids.openid && ids.openid !== order.openid) throw openidError(ids)
      const seconds = (iso?: string) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0)
      res.json({
        errcode: 0,
        errmsg: 'ok',
        order: {
          order_id: order.outTradeNo,
          wx_order_id: order.orderNo,
          status: order.status,
          biz_type: 0,
          order_fee: order.totalPrice,
          paid_fee: order.status >= OrderStatus.PAID && order.status !== OrderStatus.CLOSED ? order.totalPrice : 0,
          refund_fee: order.refundedAmount,
          left_fee: order.status >= OrderStatus.PAID && order.status <= OrderStatus.DELIVERED ? leftFee(store.state, order) : 0,
          order_type: 0,
          product_id: order.productId,
          quantity: order.quantity,
          openid: order.openid,
          env_type: order.env,
          create_time: seconds(order.createdAt),
          paid_time: seconds(order.paidAt),
          provide_time: seconds(order.deliveredAt),
        },
      })
    } catch (error) {
      sendWechatRefusal(res, error, XPAY_ERRCODES)
    }
  })

  router.post('/xpay/refund_order', async (req, res) => {
    try {
      const { game, body } = authorizeXpay(store, tokens, req)
      const input = parseInput(refundOrderBody, body, 'refund_order body')
      const order = findOrderOf(store, game, input)
      if (order.openid !== input.openid) throw openidError(input)
      const refund = await refunds.startByDeveloper(order, { refundOrderId: input.refund_order_id, refundFee: input.refund_fee, leftFee: input.left_fee, reason: input.refund_reason })
      res.json({ errcode: 0, errmsg: 'ok', refund_order_id: refund.refundOrderId, refund_wx_order_id: refund.refundNo, pay_refund_order_id: refund.refundNo })
    } catch (error) {
      sendWechatRefusal(res, error, XPAY_ERRCODES)
    }
  })

  return router
}
