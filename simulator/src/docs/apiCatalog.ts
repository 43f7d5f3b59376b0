import { z } from 'zod'
import { signDataSchema } from '@superapp-sim/game-sdk'
import { deliveryPayloadSchema, notificationEnvelopeSchema, refundPayloadSchema } from '@superapp-sim/game-sdk'
import { loginBody, myOrdersQuery, orderNoParam, refundRequestBody, sheetAnswerBody } from '../host/schemas'
import { code2SessionQuery } from '../login/schemas'
import type { Capability } from '../console/permissions'
import * as consoleSchemas from '../console/schemas'
import * as itemSchemas from '../catalog/schemas'
import { paymentRequestSchema } from '../payments/validatePayment'
import { REQUEST_DOMAIN_ROUTES } from '../console/requestDomainRoutes'
import { CONTROL_ROUTES } from '../control/controlRoutes'
import { resetBody } from '../control/schemas'
import { openApiPath, type AnyRouteDefinition } from '../http/routeDefinition'
import { relayRequestSchema } from '../host/requestWire'
import { fixtureDocumentSchema } from '../fixtures/fixtures'
import { notifyProvideGoodsBody, queryOrderBody, refundOrderBody, tokenQuery, xpayQuery } from '../serverApi/schemas'

/**
 * Every HTTP endpoint of the simulator with the zod schemas the routes validate with.
 * docs/api.md is generated from this list (`npm run docs`), and a test fails when the
 * document is stale, so the docs cannot drift from the code.
 */
export interface EndpointDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  summary: string
  /** Console routes: needs a bearer token and, where named, this capability. */
  auth?: 'bearer'
  capability?: Capability
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  /** The success answer's JSON, where the route is defined with one (http/routeDefinition.ts). */
  response?: z.ZodType
  responses: string[]
}

/** A route definition as a catalog entry, below the path its router is mounted on. */
function routeDoc<Context>(base: string, route: AnyRouteDefinition<Context>): EndpointDoc {
  return {
    method: route.method,
    path: `${base}${openApiPath(route.path)}`,
    summary: route.summary,
    ...(route.auth ? { auth: route.auth } : {}),
    ...(route.capability ? { capability: route.capability } : {}),
    ...(route.params ? { params: route.params } : {}),
    ...(route.query ? { query: route.query } : {}),
    ...(route.body ? { body: route.body } : {}),
    response: route.response,
    responses: [`${route.status ?? 200} (the response below)`, ...(route.errors ?? [])],
  }
}

export const API_ENDPOINTS: EndpointDoc[] = [
  {
    method: 'GET',
    path: '/sns/jscode2session',
    summary: "Login exchange (WeChat shape), called by the game's server: a wx.login code for the player's openid and a fresh session_key.",
    query: code2SessionQuery,
    responses: [
      '200 `{ openid, session_key }`',
      'Refusals are HTTP 200 `{ errcode, errmsg }` (WeChat\'s shape; docs/protocol.md lists the codes and their sources):',
      '200 `{ errcode: 40029 }`: unknown or expired code (codes live 5 minutes); `40163`: code been used',
      '200 `{ errcode: 40013 }`: unknown appid; `40125`: wrong secret',
      '200 `{ errcode: 41002 | 41004 | 41008 }`: appid, secret or js_code missing; `40002`: grant_type is not authorization_code',
    ],
  },
  {
    method: 'GET',
    path: '/cgi-bin/token',
    summary: "An access_token for the xpay APIs (WeChat shape), valid 2 hours. Called by the game's server.",
    query: tokenQuery,
    responses: [
      '200 `{ access_token, expires_in: 7200 }`',
      '200 `{ errcode: 40013 }`: unknown appid; `40001`: wrong secret; `40002`: grant_type is not client_credential; `41002 | 41004`: appid or secret missing',
    ],
  },
  {
    method: 'POST',
    path: '/xpay/notify_provide_goods',
    summary:
      'The game\'s server says it delivered an order by other means: the order becomes delivered (status 4) and the host stops retrying its notification. `pay_sig` = hex(HMAC-SHA256(AppKey, "/xpay/notify_provide_goods&" + raw body)).',
    query: xpayQuery,
    body: notifyProvideGoodsBody,
    responses: [
      '200 `{ errcode: 0, errmsg: "ok" }`',
      'Refusals are HTTP 200 `{ errcode, errmsg }` (WeChat\'s shape; docs/protocol.md lists the codes and their sources):',
      '200 `{ errcode: 268490003 }`: pay_sig missing or wrong (signature error)',
      '200 `{ errcode: 41001 | 40001 | 42001 }`: access_token missing, unknown or expired',
      '200 `{ errcode: 268490002 }`: a body that is not JSON or breaks the field rules; an unknown order, or one not paid or refunded (the last two: the simulator\'s convention)',
    ],
  },
  {
    method: 'GET',
    path: '/host/api/config',
    summary: "What the host shell needs to start: the superapp, its test players and mini games (`gameUrl` is '' for one without a web game; it can still run a package).",
    responses: ['200 `{ superapp: { name, currencies }, players: [{ id, nickname, avatarColor }], games: [{ appId, name, gameUrl }] }`'],
  },
  {
    method: 'POST',
    path: '/host/api/request',
    summary:
      "wx.request of a mini game package, relayed by the simulator as the host's network stack makes it on a device (no CORS). For the host shell page only: the `Origin` must be the simulator's own and the body application/json. The URL must be in the mini game's request domains (loopback allowed unless turned off), checked again on every redirect; the platform's referer `https://appservice.wx.com/{appid}/devtools/page-frame.html` is set. A refusal or a network failure is an answer, not an HTTP error.",
    body: relayRequestSchema,
    responses: [
      '200 `{ ok: true, statusCode, header, body, bodyEncoding: "utf8" | "base64", note? }`: the server\'s answer, whatever its status',
      '200 `{ ok: false, errMsg: "request:fail url not in domain list", errno: 600002, hint }`: refused, nothing sent',
      '200 `{ ok: false, errMsg: "request:fail timeout" | "request:fail <reason>" }`',
      '400 VALIDATION_FAILED: malformed, or not application/json',
      '403 FORBIDDEN: not the host shell page (another or no Origin)',
      '404 NOT_FOUND: unknown appId',
    ],
  },
  {
    method: 'GET',
    path: '/host/package/manifest',
    summary: 'The mini game package folder of `superapp-sim start --package <dir>`: its files and sizes (the shell checks the 4 MB main package limit with it). Its files are at `/host/package/files/<path>`.',
    responses: ['200 `{ folder, files: [{ path, bytes }] }`', '204: no package folder is served'],
  },
  {
    method: 'POST',
    path: '/host/api/login',
    summary: 'wx.login inside the host: issues a single-use code for the player in this mini game.',
    body: loginBody,
    responses: ['200 `{ code, errMsg: "login:ok", openid }`: `openid` is for the shell\'s player chip only; the game gets the code', '400 VALIDATION_FAILED', '404 NOT_FOUND: unknown appId or player'],
  },
  {
    method: 'POST',
    path: '/host/api/payments',
    summary:
      'wx.requestMidasPaymentGameItem as the host shell forwards it. `params` is what the game passed, unparsed. Validated per docs/protocol.md; a refusal is a protocol outcome (HTTP 200 with the errCode), an accepted call creates the order (status 1) and returns the payment sheet.',
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
    responses: ['200 `{ orders: [{ orderNo, outTradeNo, productId, name, quantity, totalPrice, currency, status, deliveryFailed, createdAt, paidAt?, deliveredAt?, refundedAmount, refundable, refunds[] }] }`'],
  },
  {
    method: 'POST',
    path: '/host/api/orders/{orderNo}/refund-requests',
    summary: 'The player asks for a refund of what is left of a paid order ("My orders"). It waits for the superapp (or is approved at once with the auto-approve setting).',
    params: orderNoParam,
    body: refundRequestBody,
    responses: ['201 `{ refund: { refundNo, amount, status } }`', '400 VALIDATION_FAILED: no reason', '404: not this player\'s order', '409: not paid, closed, fully refunded, or a request already waiting'],
  },
  {
    method: 'POST',
    path: '/xpay/query_order',
    summary: 'The host\'s view of an order, WeChat shape: status (0 init … 7 refund failed), order_fee, paid_fee, refund_fee, left_fee, paid_time, provide_time. Signed like every xpay call.',
    query: xpayQuery,
    body: queryOrderBody,
    responses: ['200 `{ errcode: 0, errmsg: "ok", order: { order_id, wx_order_id, status, order_fee, paid_fee, refund_fee, left_fee, product_id, quantity, openid, env_type, create_time, paid_time, provide_time } }`', 'refusals as notify_provide_goods; `268490001`: openid is not the order\'s player'],
  },
  {
    method: 'POST',
    path: '/xpay/refund_order',
    summary:
      'Starts a refund from the game\'s server: `refund_fee` in (0, left_fee], `left_fee` must be the order\'s current refundable amount, `refund_order_id` 8 to 32 characters and idempotent (the same id and amount returns the same refund; another amount is refused). The refund completes at once; the refund notification follows.',
    query: xpayQuery,
    body: refundOrderBody,
    responses: [
      '200 `{ errcode: 0, errmsg: "ok", refund_order_id, refund_wx_order_id }`',
      'refusals as notify_provide_goods; `268490001`: openid is not the order\'s player; `268490016`: left_fee is not the order\'s refundable amount; `268490002`: refund_fee out of range, not paid, fully refunded, or refund_order_id reused for another refund',
    ],
  },
  {
    method: 'POST',
    path: '/_sim/reset',
    summary:
      'Test control (loopback only). Every `/_sim` route (and every other route) works in a sandbox: prefix the path with `/sandbox/<name>` or send `x-sim-sandbox: <name>`. A reset replaces the sandbox with a fixture (default `demo`), creating it if it does not exist (sandboxes other than `default` live in memory); its WebSocket clients are closed with code 4001, open sheets fail, timers are dropped, `generation` goes up.',
    body: resetBody,
    responses: ['200 `{ sandbox, fixture, generation, clock: { now, frozen } }`', '400 VALIDATION_FAILED (bad sandbox name)', '403: not a loopback client', '404: unknown fixture', '409: too many sandboxes'],
  },
  {
    method: 'GET',
    path: '/_sim/sandbox',
    summary: 'Test control (loopback only): the addressed sandbox, with its fixture and generation (a QA tool notices a reset under it).',
    responses: ['200 `{ sandbox, fixture, generation, clock }`', '404: unknown sandbox'],
  },
  {
    method: 'DELETE',
    path: '/_sim/sandbox',
    summary: 'Test control (loopback only): deletes the addressed sandbox (not `default`).',
    responses: ['204', '404: unknown sandbox', '409: the default sandbox'],
  },
  {
    method: 'GET',
    path: '/_sim/sandboxes',
    summary: 'Test control (loopback only): every sandbox of the process.',
    responses: ['200 `{ sandboxes: [{ sandbox, fixture, generation, clock }] }`'],
  },
  {
    method: 'GET',
    path: '/_sim/fixtures',
    summary: 'Test control (loopback only): the fixtures a reset can name: built-in `demo` and `empty`, and those loaded.',
    responses: ['200 `{ fixtures: [{ name, description, builtin }] }`'],
  },
  {
    method: 'PUT',
    path: '/_sim/fixtures/{name}',
    summary:
      'Test control (loopback only): loads a fixture document (shared by all sandboxes). It `extends` demo or empty and adds or replaces players and games (payment status, AppKey, delivery URLs, items), the currencies, settings and the clock (`start`, `frozen`).',
    params: z.object({ name: z.string() }),
    body: fixtureDocumentSchema,
    responses: ['201 `{ name, description }` (200 when replaced)', '400 VALIDATION_FAILED', '409: a built-in name'],
  },
  // The test-control API of a sandbox: defined once, with its handlers, in control/controlRoutes.ts.
  ...CONTROL_ROUTES.map((route) => routeDoc('/_sim', route)),
  {
    method: 'GET',
    path: '/_sim/events/stream',
    summary: 'WebSocket (upgrade, loopback only): the events after `?after=<seq>`, then each new one, in order, once.',
    responses: ['101 Switching Protocols', '403: not a loopback client'],
  },
  {
    method: 'GET',
    path: '/host/events',
    summary:
      'WebSocket (upgrade). Streams the sandbox\'s events as JSON (`order.*`, `delivery.attempt`, `refund.*`); with `?appId=`, only that game\'s. Read-only. QA tools read every event, with a cursor, from `/_sim/events/stream`.',
    responses: ['101 Switching Protocols'],
  },
  {
    method: 'GET',
    path: '/host/ws',
    summary:
      'WebSocket (upgrade) of a headless player (`?appId=&playerId=`; game-sdk `connectHeadlessPlayer`): `HOST_CALL`/`HOST_RESULT` as on the browser wire, `SHEET_OPEN` from the host, `SHEET_ANSWER {orderNo, answer}` from the player when the sheet policy is `manual`. Closed with 4001 when the sandbox is reset; a sheet open when the player leaves is cancelled.',
    responses: ['101 Switching Protocols', '400: missing appId or playerId', '404: unknown sandbox, mini game or player'],
  },
  {
    method: 'GET',
    path: '/host/api/payments/{orderNo}/outcome',
    summary: 'The sheet\'s answer (`?playerId=`), waiting until the player or the sheet policy gave it: what the browser shell waits on when a test policy answers.',
    params: orderNoParam,
    query: sheetAnswerBody,
    responses: ['200 `{ errCode, errMsg, orderNo }`', '404: unknown payment, or opened before a restart'],
  },
  {
    method: 'GET',
    path: '/media/items/{file}',
    summary: "The demo items' images (SVG), e.g. `/media/items/golden_sword.svg`.",
    responses: ['200 image/svg+xml', '404 NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/media/uploads/{file}',
    summary: 'Item images uploaded in the console, named by a hash of their content (so they can be cached for good and a released version keeps its image).',
    responses: ['200 image/png, image/jpeg or image/webp', '404 NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/sdk/wx.js',
    summary: 'The drop-in script that defines the global `wx` for a game framed by the host shell (no-op where a native `wx` exists).',
    responses: ['200 application/javascript'],
  },
]

const C = '/console/api/v1'
const appIdPath = consoleSchemas.appIdParam
const errors = (...extra: string[]) => ['401 UNAUTHENTICATED: no, bad or expired token', ...extra]

export const CONSOLE_ENDPOINTS: EndpointDoc[] = [
  {
    method: 'POST',
    path: `${C}/session`,
    summary: 'Logs a console user in. The token is a JWT (HS256) valid 8 hours on the simulator clock.',
    body: consoleSchemas.sessionBody,
    responses: [
      '200 `{ token, expiresAt, account: Me }`',
      '401 INVALID_CREDENTIALS: the same answer for a wrong password and an unknown user',
      '429 TOO_MANY_REQUESTS: 10 failed logins for the account, or 50 from the client address, in 15 minutes of the sandbox clock; `Retry-After` says in how many seconds (a success clears the account\'s count)',
      '400 VALIDATION_FAILED',
    ],
  },
  {
    method: 'DELETE',
    path: `${C}/session`,
    auth: 'bearer',
    summary: 'Logs out: the presented token is refused from now on (revoked until it would have expired; kept across a restart). Other sessions of the account stay.',
    responses: ['204', ...errors()],
  },
  { method: 'GET', path: `${C}/me`, auth: 'bearer', summary: 'The logged-in account.', responses: ['200 Me `{ username, role, roleName, email, teamId, teamName, capabilities[] }`', ...errors()] },
  { method: 'GET', path: `${C}/permissions`, summary: "The seed's role tables as data: roles and, per capability, the roles holding it.", responses: ['200 `{ roles[], capabilities[] }`'] },
  { method: 'GET', path: `${C}/openapi.json`, summary: 'This API as an OpenAPI 3.1 document.', responses: ['200 application/json'] },
  {
    method: 'GET',
    path: `${C}/minigames`,
    auth: 'bearer',
    summary: "Mini games the caller may see: all for the superapp's roles, the team's for team members.",
    responses: ['200 `{ miniGames: [{ appId, name, teamId, teamName, paymentPermission, merchantBound, exemption, deliveryConfigured }] }`', ...errors()],
  },
  { method: 'GET', path: `${C}/minigames/{appId}`, auth: 'bearer', summary: 'One mini game.', params: appIdPath, responses: ['200 MiniGame', ...errors('404 NOT_FOUND: unknown or another team\'s')] },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/payment/requests`,
    auth: 'bearer',
    capability: 'payment.request',
    summary: 'Enable payment: asks the superapp for payment permission. Until it is approved the host refuses payments with errCode -15005.',
    params: appIdPath,
    body: consoleSchemas.requestBody,
    responses: ['201 `{ approval }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: no bound merchant, a request already pending, or already approved')],
  },
  { method: 'GET', path: `${C}/minigames/{appId}/payment/requests`, auth: 'bearer', capability: 'payment.request', summary: 'The payment permission requests of a mini game, newest first.', params: appIdPath, responses: ['200 `{ requests: Approval[] }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')] },
  {
    method: 'GET',
    path: `${C}/approvals`,
    auth: 'bearer',
    capability: 'approvals.view',
    summary: "The superapp's queue of the teams' requests (`payment` permission, approval `exemption`, `itemRelease` with its `productIds`), newest first.",
    query: consoleSchemas.approvalsQuery,
    responses: ['200 `{ approvals: [{ id, kind, appId, miniGameName, teamName, message, status, requestedBy, createdAt, decidedBy?, decidedAt?, reason?, productIds? }] }`', ...errors('403 FORBIDDEN')],
  },
  { method: 'POST', path: `${C}/approvals/{id}/approve`, auth: 'bearer', capability: 'approvals.decide', summary: 'Approves a pending request; the requester is mailed.', params: consoleSchemas.approvalIdParam, body: consoleSchemas.approveBody, responses: ['200 `{ approval }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: already decided')] },
  { method: 'POST', path: `${C}/approvals/{id}/reject`, auth: 'bearer', capability: 'approvals.decide', summary: 'Rejects a pending request with a reason; the requester is mailed.', params: consoleSchemas.approvalIdParam, body: consoleSchemas.rejectBody, responses: ['200 `{ approval }`', ...errors('400 VALIDATION_FAILED: no reason', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: already decided')] },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/delivery-config`,
    auth: 'bearer',
    capability: 'deliveryConfig.view',
    summary: 'Delivery notification configuration, with the issued credentials (AppKey hint and certificate fingerprint only) and warnings for URLs the real console refuses.',
    params: appIdPath,
    responses: ['200 `{ url, testUrl, notificationsEnabled, credentials: { issuedAt, appKeyHint, certificateFingerprint, validUntil } | null, warnings[] }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'PUT',
    path: `${C}/minigames/{appId}/delivery-config`,
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      'Saves the configuration. URLs must be http(s); a port other than 80/443 or a local host is accepted with a warning. The first save also needs deliveryConfig.requestCredentials: it issues the AppKey and a self-signed X.509 certificate (ES256, valid a year) with its private key and mails them to the account; the fingerprint is SHA-256 over the certificate\'s DER, as openssl prints it.',
    params: appIdPath,
    body: consoleSchemas.deliveryConfigBody,
    responses: ['200 `{ ...config, credentialsIssued, mailedTo? }`', ...errors('400 VALIDATION_FAILED naming the field', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'PUT',
    path: `${C}/minigames/{appId}/delivery-config/notifications`,
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      'The "enable notification" switch the seed puts on the Virtual item management page: turns delivery notifications on or off without touching the URLs. Enabling needs a configured URL.',
    params: appIdPath,
    body: consoleSchemas.notificationSwitchBody,
    responses: ['200 the delivery configuration, as GET', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: no URL configured yet')],
  },
  // Request domains: defined once, with their handlers, in console/requestDomainRoutes.ts.
  ...Object.values(REQUEST_DOMAIN_ROUTES).map((route) => routeDoc(C, route)),
  { method: 'POST', path: `${C}/minigames/{appId}/delivery-config/credentials`, auth: 'bearer', capability: 'deliveryConfig.requestCredentials', summary: 'Issues a new AppKey, certificate and key (the old ones stop working) and mails them.', params: appIdPath, responses: ['200 `{ credentials, mailedTo }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')] },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/delivery-config/test-push`,
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary: 'Sends a signed mock notification (`IsMock: true`, fake goods) to the Test URL (else the URL) and reports what the endpoint answered.',
    params: appIdPath,
    responses: ['200 `{ at, url, outcome, status?, responseBody?, latencyMs, error? }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: not configured yet')],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/delivery-config/check-endpoint`,
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      'Runs the endpoint checker against the delivery URL, built from the given (else the latest delivered) order: valid, duplicate, bad PayEventSig, tampered Payload, malformed, unknown product. The CLI does the same: `npx superapp-sim check-endpoint`.',
    params: appIdPath,
    body: consoleSchemas.checkEndpointBody,
    responses: ['200 `{ url, results: [{ check, expected, passed, status?, responseBody?, detail }], passed, failed }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: not configured yet')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/notifications`,
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'Deliveries: the outbox of a mini game (delivery, refund and test notifications), newest first, at most 200.',
    params: appIdPath,
    query: consoleSchemas.notificationsQuery,
    responses: ['200 `{ notifications: [{ id, kind, orderNo, outTradeNo, refundNo?, target, state, attemptCount, lastAttempt?, nextAttemptAt?, createdAt }] }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/notifications/{id}`,
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'One notification: the exact body and headers sent, and every attempt (time, URL, status, reply, latency, outcome, reason, manual, fault).',
    params: consoleSchemas.notificationParams,
    responses: ['200 notification with `requestHeaders`, `body`, `attempts[]`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/notifications/{id}/resend`,
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary: 'Sends a notification again now. A success delivers it (and its order); a failure leaves its schedule as it was.',
    params: consoleSchemas.notificationParams,
    responses: ['200 `{ notification }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')],
  },
  { method: 'GET', path: `${C}/minigames/{appId}/exemption`, auth: 'bearer', capability: 'exemption.view', summary: 'The approval exemption for item releases: status and requests.', params: appIdPath, responses: ['200 `{ status, requests: Approval[] }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')] },
  { method: 'POST', path: `${C}/minigames/{appId}/exemption/requests`, auth: 'bearer', capability: 'exemption.request', summary: 'Asks the superapp for the approval exemption.', params: appIdPath, body: consoleSchemas.requestBody, responses: ['201 `{ approval }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: pending or already granted')] },
  { method: 'POST', path: `${C}/minigames/{appId}/exemption/revoke`, auth: 'bearer', capability: 'exemption.revoke', summary: "The superapp revokes the exemption and removes the game's released items from sale; the team's administrators are mailed.", params: appIdPath, body: consoleSchemas.revokeBody, responses: ['200 `{ status: "revoked", removedItems }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: no exemption to revoke')] },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/items`,
    auth: 'bearer',
    capability: 'items.view',
    summary:
      "Virtual item management: a mini game's items, filtered by state and a search over product ID and name, a page at a time. Each item has its working copy, the `released` version players buy (null when not on sale) and the `unreleasedChanges` between them.",
    params: appIdPath,
    query: itemSchemas.itemsQuery,
    responses: [
      '200 `{ items: [{ productId, name, price, imageUrl, description, state, released: { name, price, imageUrl, description, releasedAt } | null, unreleasedChanges[], releaseRequestId, createdAt, updatedAt }], total, page, pageSize, counts: { draft, pending_release, released, removed } }`',
      ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND'),
    ],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/items`,
    auth: 'bearer',
    capability: 'items.edit',
    summary: 'Adds an item as a draft. The product ID is signData\'s `productId`, unique per mini game; the price is in minor units. An image is needed before release: an `imageUrl` here or an upload (PUT …/image).',
    params: appIdPath,
    body: itemSchemas.newItemBody,
    responses: ['201 `{ item }`', ...errors('400 VALIDATION_FAILED naming the field', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: the product ID exists')],
  },
  {
    method: 'PATCH',
    path: `${C}/minigames/{appId}/items/{productId}`,
    auth: 'bearer',
    capability: 'items.edit',
    summary: "Edits an item's working copy. On a released item the change is listed in `unreleasedChanges` and reaches players only when released again; until then the host charges the released version.",
    params: itemSchemas.itemParams,
    body: itemSchemas.itemChangesBody,
    responses: ['200 `{ item }`', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: a release request is pending')],
  },
  {
    method: 'DELETE',
    path: `${C}/minigames/{appId}/items/{productId}`,
    auth: 'bearer',
    capability: 'items.remove',
    summary: 'Deletes an item that is not on sale (draft or removed); its product ID becomes free. Paid orders keep their own copy of the item.',
    params: itemSchemas.itemParams,
    responses: ['200 `{ deleted: productId }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: on sale (remove it first) or pending release')],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/images`,
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      "Uploads an image for an item not yet written: the raw bytes as the body (content-type `image/png`, `image/jpeg` or `image/webp`, checked against the bytes and their structure), at most 512 KiB. Answers the `imageUrl` to send in the add (POST …/items) or edit (PATCH …/items/{productId}) that uses it, so a refused image creates nothing and the item is written once, with its image. This is what the console's Add item form does.",
    params: appIdPath,
    responses: ['201 `{ imageUrl: "/media/uploads/<hash>.<ext>" }`', ...errors('400 VALIDATION_FAILED: not a whole PNG/JPEG/WebP, type mismatch, empty, or larger than 512 KiB', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'PUT',
    path: `${C}/minigames/{appId}/items/{productId}/image`,
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      "Uploads the item's image: the raw bytes as the body, content-type `image/png`, `image/jpeg` or `image/webp` (checked against the bytes), at most 512 KiB. Stored under the data folder (in memory with --memory), served at `/media/uploads/<hash>.<ext>` and set as the working copy's `imageUrl`.",
    params: itemSchemas.itemParams,
    responses: ['200 `{ item }`', ...errors('400 VALIDATION_FAILED: not a whole PNG/JPEG/WebP (its structure is walked: PNG chunks and CRCs IHDR..IEND, JPEG SOI..EOI, WebP RIFF size and VP8/VP8L/VP8X; nothing after the end), type mismatch, empty, or larger than 512 KiB', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: a release request is pending')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/items/template`,
    auth: 'bearer',
    capability: 'items.downloadTemplate',
    summary: 'The import template (.xlsx): sheet "Items" with the header row `Product ID | Name | Price (minor units) | Image URL | Description` and one example row (skipped on import while unchanged), and a sheet of rules.',
    params: appIdPath,
    responses: ['200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...errors('403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/items/import`,
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      'Imports items from an .xlsx in the template\'s format (content-type `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) or from the item export\'s CSV (content-type `text/csv`; the apostrophe the export puts before formula-like text comes off again): the raw file as the body, at most 5 MiB and 1,000 item rows. Every row is checked (product ID format and uniqueness in the file and against stored items, required name, price a whole number above 0 typed as a number, no formulas, lengths, image URL). Any error refuses the whole file unless `mode=validRowsOnly`; new items are drafts; `existing=update` lets a row replace a stored item\'s working copy (round trip: export, edit, import).',
    params: appIdPath,
    query: itemSchemas.importQuery,
    responses: [
      '200 `{ report: { mode, existing, rows, added[], updated[], unchanged[], skipped: [{ row, reason }], errors: [{ row, column, cell, message }] } }`',
      '400 `{ error: { code: "VALIDATION_FAILED", message }, report }`: the file or some rows were refused (the report names row, column and cell); nothing was imported',
      ...errors('403 FORBIDDEN', '404 NOT_FOUND'),
    ],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/items/export`,
    auth: 'bearer',
    capability: 'items.view',
    summary:
      'The item list as .xlsx or CSV in the template\'s columns, with the list\'s filters. `version=working` (default) exports what the team edits, for a round trip; `version=released` exports what players buy now (items on sale, their released versions): what a game server keeps its item list in step with (README "Virtual items").',
    params: appIdPath,
    query: itemSchemas.exportQuery,
    responses: ['200 .xlsx or text/csv (UTF-8 with a byte order mark, CRLF; text starting with = + - @, tab or CR, after any spaces, written with a leading apostrophe)', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/items/release`,
    auth: 'bearer',
    capability: 'items.requestRelease',
    summary:
      "Releases a batch of items (drafts, removed items, or released items with unreleased changes; each needs an image). With the approval exemption they are released at once (200); otherwise they become pending_release and an `itemRelease` request goes to the superapp's approvals queue (202): approving releases them, rejecting returns them to draft (or to their released version). All or nothing.",
    params: appIdPath,
    body: itemSchemas.releaseBody,
    responses: ['200 `{ released: Item[], approval: null }`', '202 `{ released: [], approval }`', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND: an unknown product ID', '409 CONFLICT naming each item that cannot be released')],
  },
  {
    method: 'POST',
    path: `${C}/minigames/{appId}/items/remove`,
    auth: 'bearer',
    capability: 'items.remove',
    summary: 'Takes a batch of released items off sale: the host refuses them with -15013 from then on; paid orders keep their item. All or nothing.',
    params: appIdPath,
    body: itemSchemas.removeBody,
    responses: ['200 `{ removed: Item[] }`', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND: an unknown product ID', '409 CONFLICT naming each item not on sale')],
  },
  { method: 'GET', path: `${C}/mailbox`, auth: 'bearer', summary: "The logged-in account's mail (issued credentials, decisions), newest first.", responses: ['200 `{ messages: [{ id, to, toEmail, subject, body, attachments: [{ filename, contentType, content }], createdAt }] }`', ...errors()] },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/orders`,
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'Order record: orders of a mini game, newest first, filtered by creation date, status, player (id or openid), product and order number / outTradeNo, paginated.',
    params: appIdPath,
    query: consoleSchemas.ordersQuery,
    responses: ['200 `{ orders: OrderRow[], page, pageSize, total }`; OrderRow has status and statusName, partlyRefunded, prices, refundedAmount, leftFee, player (playerId, playerName, openid), timestamps', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/orders/export`,
    auth: 'bearer',
    capability: 'orders.export',
    summary: 'The current order filter as CSV (csv-stringify; UTF-8 with a byte order mark, CRLF, formula-like text behind a leading apostrophe) or .xlsx (exceljs streaming writer), streamed row by row.',
    params: appIdPath,
    query: consoleSchemas.exportQuery.extend(consoleSchemas.ordersQuery.shape),
    responses: ['200 text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/orders/{orderNo}`,
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'One order: the item snapshot, prices, the player, timestamps, its notifications with every delivery attempt, and its refunds.',
    params: consoleSchemas.orderParams,
    responses: ['200 OrderRow with `item`, `signData`, `attach`, `notifications[]`, `refunds[]`', ...errors('403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/refunds`,
    auth: 'bearer',
    capability: 'afterSales.view',
    summary:
      'After-sales record: refunds by initiation date on the simulator clock, by default the last 7 days (today included); a range reaching back more than 12 months is refused. Search by order number, outTradeNo, refund number or refund_order_id.',
    params: appIdPath,
    query: consoleSchemas.refundsQuery,
    responses: ['200 `{ from, to, refunds: RefundRow[] }`; RefundRow names the player (playerId, playerName)', ...errors('400 VALIDATION_FAILED: bad date, reversed range, or more than 12 months back (names the earliest date)', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  {
    method: 'GET',
    path: `${C}/minigames/{appId}/refunds/export`,
    auth: 'bearer',
    capability: 'afterSales.export',
    summary: 'The after-sales filter as CSV or .xlsx, streamed.',
    params: appIdPath,
    query: consoleSchemas.exportQuery.extend(consoleSchemas.refundsQuery.shape),
    responses: ['200 text/csv or .xlsx', ...errors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND')],
  },
  { method: 'GET', path: `${C}/refunds/pending`, auth: 'bearer', capability: 'approvals.view', summary: "The superapp's queue of players' refund requests.", responses: ['200 `{ refunds: RefundRow[] }`', ...errors('403 FORBIDDEN')] },
  { method: 'POST', path: `${C}/refunds/{refundNo}/approve`, auth: 'bearer', capability: 'approvals.decide', summary: 'Approves a refund request: the order records it and the refund notification is sent.', params: consoleSchemas.refundParams, responses: ['200 `{ refund }`', ...errors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: already decided')] },
  { method: 'POST', path: `${C}/refunds/{refundNo}/reject`, auth: 'bearer', capability: 'approvals.decide', summary: 'Rejects a refund request with a reason.', params: consoleSchemas.refundParams, body: consoleSchemas.rejectBody, responses: ['200 `{ refund }`', ...errors('400 VALIDATION_FAILED: no reason', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT')] },
]

/** Wire formats a game sees, documented from the same schemas the SDK validates with. */
export const WIRE_FORMATS: { name: string; summary: string; schema: z.ZodType }[] = [
  { name: 'signData', summary: 'The JSON string passed to wx.requestMidasPaymentGameItem (docs/protocol.md section 1).', schema: signDataSchema },
  { name: 'Delivery notification envelope', summary: 'The body the host POSTs to the delivery URL (docs/protocol.md section 2).', schema: notificationEnvelopeSchema },
  { name: 'Delivery notification Payload', summary: 'The JSON inside `Payload` of Event `minigame_game_pay_goods_deliver_notify`; PayEventSig covers its exact string.', schema: deliveryPayloadSchema },
  {
    name: 'Refund notification Payload',
    summary:
      'Event `xpay_refund_notify`, in the same envelope, signed the same way: HMAC-SHA256(AppKey, "xpay_refund_notify&" + Payload). SAS documents no refund notification; this is a simulator convention modelled on WeChat\'s.',
    schema: refundPayloadSchema,
  },
]
