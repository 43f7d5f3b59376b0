import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import { z } from 'zod'
import { GameSdkError, errorMessage } from '../core/errors'
import { DELIVERY_EVENT, REFUND_EVENT } from '../protocol/index'
import { signPaySig, signUserSignature } from '../protocol/signatures'
import { createDeliveryHandler } from '../server/deliveryHandler'
import { createHostClient } from '../server/hostClient'
import { createMemoryLedger } from '../server/receiver'
import { signOrder } from '../server/signOrder'
import { createSiteAllowlist } from '../server/siteAllowlist'
import { createReceiverFault, type ReceiverFault } from './receiverFault'

/**
 * A game server for tests and scenarios, built from game-sdk's own server helpers the way a
 * developer's server would be: it logs players in (jscode2session), signs orders, receives
 * delivery and refund notifications through createDeliveryHandler (granting once per
 * OutTradeNo), starts refunds (refund_order) and serves each player's inventory. Its
 * receiver has the one receiver-fault switch (createReceiverFault). It records everything
 * it received, for a test's or a scenario's expectations. It signs whatever it is asked
 * for, including orders signOrder would refuse to sign, so the host's own checks are what
 * a test exercises.
 */
export interface TestGameServerOptions {
  /** The host (the simulator, or one of its sandboxes): jscode2session and the xpay APIs. */
  hostUrl: string
  appId: string
  appSecret: string
  appKey: string
  /** Prices (minor units) the server signs with, per productId. */
  prices: Readonly<Record<string, number>>
  /** Default USD. */
  currency?: string
}

/** One notification that reached the receiver, and how it was answered. */
export interface ReceivedNotification {
  event: 'delivery' | 'refund' | 'other'
  outTradeNo?: string
  /** HTTP status of the answer. */
  status: number
  /** Failed on purpose (the receiver-fault switch), not by the handler. */
  forcedFailure: boolean
}

/** A refund notification the server accepted. */
export interface RefundRecord {
  refundId: string
  outTradeNo: string
  fee: number
}

/** A running test game server. */
export interface TestGameServer {
  url: string
  /** What to configure as the mini game's delivery (and test delivery) URL. */
  deliveryUrl: string
  /** The receiver-fault switch in front of the real delivery handler. */
  receiver: ReceiverFault
  /** Every notification received, in order. */
  received(): readonly ReceivedNotification[]
  /** How many times the goods of an order were granted (1 after any number of duplicates). */
  grantCount(outTradeNo: string): number
  refundsOf(outTradeNo: string): readonly RefundRecord[]
  close(): Promise<void>
}

/** The signData fields an order request may leave out (`omitField`), to test the host's check. */
export const SIGN_DATA_FIELDS = ['mode', 'buyQuantity', 'currencyType', 'productId', 'goodsPrice', 'outTradeNo', 'attach'] as const

interface OrderRecord {
  outTradeNo: string
  openid: string
  productId: string
  quantity: number
  price: number
}

const loginBody = z.object({ code: z.string().min(1).max(200) })
const orderBody = z.object({
  openid: z.string().min(1),
  productId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).default(1),
  price: z.number().int().optional(),
  currency: z.string().min(1).max(16).optional(),
  outTradeNo: z.string().min(1).max(64).optional(),
  omitField: z.enum(SIGN_DATA_FIELDS).optional(),
  /** Sign with the session_key of the player's previous login. */
  staleSessionKey: z.boolean().optional(),
})
const refundBody = z.object({
  openid: z.string().min(1),
  outTradeNo: z.string().min(1),
  amount: z.number().int().positive().optional(),
  reason: z.string().max(256).optional(),
})

/** The codes this server answers with, in the one error shape `{ error: { code, message } }` (the simulator's codes, so a scenario runner reads both alike). */
type AnswerCode = 'VALIDATION_FAILED' | 'NOT_FOUND' | 'CONFLICT' | 'UPSTREAM_FAILED' | 'INTERNAL'
const STATUS_OF: Record<AnswerCode, number> = { VALIDATION_FAILED: 400, NOT_FOUND: 404, CONFLICT: 409, UPSTREAM_FAILED: 502, INTERNAL: 500 }

function answerError(res: Response, code: AnswerCode, message: string): void {
  res.status(STATUS_OF[code]).json({ error: { code, message } })
}

function parse<S extends z.ZodType>(res: Response, schema: S, body: unknown, what: string): z.infer<S> | undefined {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  answerError(res, 'VALIDATION_FAILED', `invalid ${what}: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`)
  return undefined
}

/** Fresh, valid (WeChat's rule: up to 32 of [0-9A-Za-z_-|*@]) and unique per server. */
function newOutTradeNo(sequence: number): string {
  return `SC${Date.now().toString(36)}${sequence.toString(36)}${randomBytes(4).toString('hex')}`.toUpperCase()
}

/**
 * Starts a test game server on 127.0.0.1, on a free port. Needs express (an optional peer
 * of game-sdk), loaded when the server starts.
 *
 * Routes: `POST /login {code}` → `{openid}`; `POST /orders {openid, productId, quantity?,
 * price?, currency?, outTradeNo?, omitField?, staleSessionKey?}` → `{signData, paySig,
 * signature, outTradeNo}`; `POST /delivery` (the receiver); `GET /inventory/:openid`;
 * `POST /refunds {openid, outTradeNo, amount?, reason?}` (refund_order through the host).
 *
 * @example
 * import { startTestGameServer } from '@superapp-sim/game-sdk/testing'
 *
 * const game = await startTestGameServer({ hostUrl: simulatorUrl, appId, appSecret, appKey, prices: { gem_pack_small: 99 } })
 * await fetch(`${simulatorUrl}/_sim/minigames/${appId}`, {
 *   method: 'PATCH',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ deliveryUrl: game.deliveryUrl }),
 * })
 * game.receiver.failNext(2) // the host retries; the third attempt is granted
 * // … buy, then:
 * expect(game.grantCount(outTradeNo)).toBe(1)
 * await game.close()
 */
export async function startTestGameServer(options: TestGameServerOptions): Promise<TestGameServer> {
  // Loaded here, not at the top: the entry's notification builders work without express.
  const { default: express } = await import('express')
  const { jsonBody, requestGuard } = await import('../express/requestGuard')
  const host = createHostClient({ baseUrl: options.hostUrl, appId: options.appId, appSecret: options.appSecret, appKey: options.appKey })
  const currency = options.currency ?? 'USD'
  /** Every session_key of a player, oldest first. */
  const sessionKeys = new Map<string, string[]>()
  const orders = new Map<string, OrderRecord>()
  const grants = new Map<string, number>()
  const refunds: RefundRecord[] = []
  const received: ReceivedNotification[] = []
  const receiver = createReceiverFault()
  let sequence = 0

  const app = express()
  app.disable('x-powered-by')
  // On loopback, for tests only: no other Host name, no changes from a web page (docs/security.md).
  app.use(requestGuard({ sites: createSiteAllowlist({ howToAllowHost: 'call it as 127.0.0.1, as the scenario runner does' }) }))
  const json = jsonBody({ limit: '16kb' })

  app.post('/login', json, async (req, res) => {
    const input = parse(res, loginBody, req.body, 'login')
    if (!input) return
    const session = await host.code2Session(input.code)
    sessionKeys.set(session.openid, [...(sessionKeys.get(session.openid) ?? []), session.session_key])
    res.json({ openid: session.openid })
  })

  app.post('/orders', json, (req, res) => {
    const input = parse(res, orderBody, req.body, 'order')
    if (!input) return
    const keys = sessionKeys.get(input.openid) ?? []
    const sessionKey = input.staleSessionKey ? keys.at(-2) : keys.at(-1)
    if (!sessionKey) return answerError(res, 'CONFLICT', input.staleSessionKey ? 'no previous session_key: log the player in twice' : 'the player is not logged in: POST /login first')
    const price = input.price ?? options.prices[input.productId]
    if (price === undefined) return answerError(res, 'NOT_FOUND', `no price for ${input.productId}: give the order a price, or the server prices`)
    sequence += 1
    const outTradeNo = input.outTradeNo ?? newOutTradeNo(sequence)
    const order = { buyQuantity: input.quantity, currencyType: input.currency ?? currency, productId: input.productId, goodsPrice: price, outTradeNo, attach: 'scenario' }
    if (!orders.has(outTradeNo)) orders.set(outTradeNo, { outTradeNo, openid: input.openid, productId: input.productId, quantity: input.quantity, price })
    const signed = input.omitField ? undefined : trySignOrder(options.appKey, sessionKey, order)
    if (signed) return void res.json({ ...signed, outTradeNo })
    // What the SDK would refuse to sign (a missing field, a malformed outTradeNo): signed as
    // is, so the host's check is the one under test.
    const fields: Record<string, unknown> = { mode: 'goods', ...order }
    if (input.omitField) delete fields[input.omitField]
    const signData = JSON.stringify(fields)
    res.json({ signData, paySig: signPaySig(options.appKey, signData), signature: signUserSignature(sessionKey, signData), outTradeNo })
  })

  // Records what arrives and how it was answered, then the fault switch, then the real handler.
  const recorder: RequestHandler = (req, res, next) => {
    const peeked = peekNotification(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))
    res.on('finish', () => received.push({ ...peeked, status: res.statusCode, forcedFailure: res.locals.receiverFault !== undefined }))
    next()
  }

  app.post(
    '/delivery',
    express.raw({ type: () => true, limit: '64kb' }),
    recorder,
    receiver.middleware,
    createDeliveryHandler({
      appKey: options.appKey,
      ledger: createMemoryLedger(),
      deliver: ({ payload }) => {
        const order = orders.get(payload.OutTradeNo)
        if (!order) throw new GameSdkError('INVALID_ARGUMENT', `unknown OutTradeNo ${payload.OutTradeNo}`)
        if (order.openid !== payload.OpenId || order.productId !== payload.GoodsInfo.ProductId) {
          throw new GameSdkError('INVALID_ARGUMENT', `the notification for ${payload.OutTradeNo} does not match the order this server signed`)
        }
        grants.set(payload.OutTradeNo, (grants.get(payload.OutTradeNo) ?? 0) + 1)
      },
      refund: ({ payload }) => {
        if (!grants.has(payload.MchOrderId)) throw new GameSdkError('INVALID_ARGUMENT', `refund for ${payload.MchOrderId}, which this server never granted`)
        refunds.push({ refundId: payload.WxRefundId, outTradeNo: payload.MchOrderId, fee: payload.RefundFee })
      },
    }),
  )

  app.get('/inventory/:openid', (req, res) => {
    const counts = new Map<string, number>()
    const granted = [...orders.values()].filter((o) => o.openid === req.params.openid && grants.has(o.outTradeNo))
    const list = granted.map((order) => {
      const refunded = refunds.filter((r) => r.outTradeNo === order.outTradeNo).reduce((sum, r) => sum + r.fee, 0)
      // A fully refunded order takes its goods back; a partial refund leaves them.
      const revoked = refunded >= order.price * order.quantity
      if (!revoked) counts.set(order.productId, (counts.get(order.productId) ?? 0) + order.quantity)
      return { outTradeNo: order.outTradeNo, productId: order.productId, quantity: order.quantity, refunded, revoked }
    })
    res.json({ items: [...counts].map(([productId, quantity]) => ({ productId, quantity })), grants: list })
  })

  app.post('/refunds', json, async (req, res) => {
    const input = parse(res, refundBody, req.body, 'refund')
    if (!input) return
    const query = await host.xpay('/xpay/query_order', { openid: input.openid, order_id: input.outTradeNo })
    const leftFee = Number((query.order as { left_fee?: number } | undefined)?.left_fee ?? 0)
    const refundOrderId = `RS${randomBytes(8).toString('hex')}`.toUpperCase()
    const result = await host.xpay('/xpay/refund_order', {
      openid: input.openid,
      order_id: input.outTradeNo,
      refund_order_id: refundOrderId,
      left_fee: leftFee,
      refund_fee: input.amount ?? leftFee,
      refund_reason: input.reason ?? 'scenario',
    })
    res.json(result)
  })

  app.use((req, res) => answerError(res, 'NOT_FOUND', `no route for ${req.method} ${req.path}`))
  // A host call that failed (game-sdk's host client) is a 502 with the SDK's reason; anything else is this server's bug.
  const onError: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error)
    if (error instanceof GameSdkError && error.code === 'HOST_API_ERROR') return answerError(res, 'UPSTREAM_FAILED', error.message)
    answerError(res, 'INTERNAL', `the test game server failed: ${errorMessage(error)}`)
  }
  app.use(onError)

  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  server.on('error', () => {})
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    deliveryUrl: `${url}/delivery`,
    receiver,
    received: () => received,
    grantCount: (outTradeNo) => grants.get(outTradeNo) ?? 0,
    refundsOf: (outTradeNo) => refunds.filter((r) => r.outTradeNo === outTradeNo),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function trySignOrder(appKey: string, sessionKey: string, order: Parameters<typeof signOrder>[0]['order']) {
  try {
    return signOrder({ appKey, sessionKey, order })
  } catch (error) {
    if (error instanceof GameSdkError && error.code === 'INVALID_ARGUMENT') return undefined
    throw error
  }
}

/** Which order a notification is about, read without trusting it (the handler verifies). */
function peekNotification(body: Buffer): Pick<ReceivedNotification, 'event' | 'outTradeNo'> {
  try {
    const envelope = JSON.parse(body.toString('utf8')) as { Event?: string; Payload?: string }
    const payload = JSON.parse(envelope.Payload ?? '{}') as { OutTradeNo?: string; MchOrderId?: string }
    if (envelope.Event === DELIVERY_EVENT) return { event: 'delivery', outTradeNo: payload.OutTradeNo }
    if (envelope.Event === REFUND_EVENT) return { event: 'refund', outTradeNo: payload.MchOrderId }
  } catch {
    // Not ours to judge: the handler answers it.
  }
  return { event: 'other' }
}
