import { z } from 'zod'
import { signDataSchema } from '../../../game-sdk/src/core/signData'
import { deliveryPayloadSchema, notificationEnvelopeSchema } from '../../../game-sdk/src/server/notification'
import { loginBody, myOrdersQuery, orderNoParam, sheetAnswerBody } from '../host/hostRoutes'
import { code2SessionQuery } from '../login/loginRoutes'
import { paymentRequestSchema } from '../payments/validatePayment'

/**
 * Every HTTP endpoint of the simulator with the zod schemas the routes validate with.
 * docs/api.md is generated from this list (`npm run docs`), and a test fails when the
 * document is stale, so the docs cannot drift from the code.
 */
export interface EndpointDoc {
  method: 'GET' | 'POST'
  path: string
  summary: string
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  responses: string[]
}

export const API_ENDPOINTS: EndpointDoc[] = [
  {
    method: 'GET',
    path: '/sns/jscode2session',
    summary: "Login exchange (WeChat shape), called by the game's server: a wx.login code for the player's openid and a fresh session_key.",
    query: code2SessionQuery,
    responses: [
      '200 `{ openid, session_key }`',
      '400 `{ errcode: 40029, errmsg, error: { code: "INVALID_CODE" } }`: unknown, used or expired code (codes live 5 minutes, once)',
      '400 `{ errcode: 40013, errmsg, error: { code: "VALIDATION_FAILED" } }`: malformed query',
      '401 `{ errcode: 40125, errmsg, error: { code: "INVALID_APP_SECRET" } }`: wrong appid or secret',
    ],
  },
  {
    method: 'GET',
    path: '/host/api/config',
    summary: 'What the host shell needs to start: the superapp, its test players and mini games.',
    responses: ['200 `{ superapp: { name, currencies }, players: [{ id, nickname, avatarColor }], games: [{ appId, name, gameUrl }] }`'],
  },
  {
    method: 'POST',
    path: '/host/api/login',
    summary: 'wx.login inside the host: issues a single-use code for the player in this mini game.',
    body: loginBody,
    responses: ['200 `{ code, errMsg: "login:ok" }`', '400 VALIDATION_FAILED', '404 NOT_FOUND: unknown appId or player'],
  },
  {
    method: 'POST',
    path: '/host/api/payments',
    summary:
      'wx.requestMidasPaymentGameItem as the host shell forwards it. `params` is what the game passed, unparsed. Validated per PROTOCOL.md; a refusal is a protocol outcome (HTTP 200 with the errCode), an accepted call creates the order (status 1) and returns the payment sheet.',
    body: paymentRequestSchema,
    responses: [
      '200 `{ ok: true, errCode: 0, sheet: { orderNo, productId, name, imageUrl, quantity, unitPrice, totalPrice, currency, gameName, sandbox } }`',
      '200 `{ ok: false, errCode, errMsg: "requestMidasPaymentGameItem:fail …" }`: see the errCode table in README.md',
      '400 VALIDATION_FAILED: the request itself is malformed',
    ],
  },
  {
    method: 'POST',
    path: '/host/api/payments/{orderNo}/confirm',
    summary: 'The player pressed Pay: the order is paid (status 2) and its delivery notification is sent.',
    params: orderNoParam,
    body: sheetAnswerBody,
    responses: ['200 `{ errCode: 0, errMsg: "requestMidasPaymentGameItem:ok", orderNo }`', '404 NOT_FOUND', '409 CONFLICT: already answered'],
  },
  {
    method: 'POST',
    path: '/host/api/payments/{orderNo}/cancel',
    summary: 'The player pressed Cancel: the order is closed (status 6).',
    params: orderNoParam,
    body: sheetAnswerBody,
    responses: ['200 `{ errCode: 1, errMsg: "requestMidasPaymentGameItem:fail cancel", orderNo }`', '404 NOT_FOUND', '409 CONFLICT: already answered'],
  },
  {
    method: 'GET',
    path: '/host/api/orders',
    summary: "\"My orders\": the player's orders in one mini game, newest first. `status` is WeChat's order status number.",
    query: myOrdersQuery,
    responses: ['200 `{ orders: [{ orderNo, outTradeNo, productId, name, quantity, totalPrice, currency, status, deliveryFailed, createdAt, paidAt?, deliveredAt? }] }`'],
  },
  {
    method: 'GET',
    path: '/host/events',
    summary:
      'WebSocket (upgrade). Streams `order.created`, `order.paid`, `order.closed` and `delivery.attempt` events as JSON, optionally filtered by `?appId=`. Read-only.',
    responses: ['101 Switching Protocols'],
  },
  {
    method: 'GET',
    path: '/sdk/wx.js',
    summary: 'The drop-in script that defines the global `wx` for a game framed by the host shell (no-op where a native `wx` exists).',
    responses: ['200 application/javascript'],
  },
]

/** Wire formats a game sees, documented from the same schemas the SDK validates with. */
export const WIRE_FORMATS: { name: string; summary: string; schema: z.ZodType }[] = [
  { name: 'signData', summary: 'The JSON string passed to wx.requestMidasPaymentGameItem (PROTOCOL.md section 1).', schema: signDataSchema },
  { name: 'Delivery notification envelope', summary: 'The body the host POSTs to the delivery URL (PROTOCOL.md section 2).', schema: notificationEnvelopeSchema },
  { name: 'Delivery notification Payload', summary: 'The JSON inside `Payload`; PayEventSig covers its exact string.', schema: deliveryPayloadSchema },
]
