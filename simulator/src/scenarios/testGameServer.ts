import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express, { type RequestHandler } from 'express'
import { z } from 'zod'
import { DELIVERY_EVENT, GameSdkError, REFUND_EVENT, signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { requestGuard } from '@superapp-sim/game-sdk/express'
import { createDeliveryHandler, createHostClient, createMemoryLedger, createSiteAllowlist, signOrder } from '@superapp-sim/game-sdk/server'
import { SimulatorError } from '../errors'
import { errorHandler, notFound } from '../http/errors'
import { jsonBody, refuseWithSimulatorError } from '../http/guard'
import { parseInput } from '../http/validate'
import { SIGN_DATA_FIELDS } from './schema'

/**
 * A scenario's own game server, built from game-sdk's server helpers only, the way a
 * developer's server would be: it logs players in (jscode2session), signs orders, receives
 * delivery and refund notifications through createDeliveryHandler (granting once per
 * OutTradeNo), starts refunds (refund_order) and serves each player's inventory. Its
 * receiver can be told to fail. It also records everything it received, for the runner's
 * expectations. It signs whatever a scenario asks for, including orders the SDK would
 * refuse to sign, so the host's own checks are what a scenario tests.
 */
export interface TestGameServerOptions {
  /** The host (the scenario's sandbox URL): jscode2session and the xpay APIs. */
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
  /** Failed on purpose (receiver switch), not by the handler. */
  forcedFailure: boolean
}

export interface RefundRecord {
  refundId: string
  outTradeNo: string
  fee: number
}

export interface ReceiverSwitch {
  /** Answer HTTP 503 to the next `count` notifications. */
  failNext(count: number): void
  /** Answer HTTP 503 to every notification until up(). */
  down(): void
  /** Back to normal: no failures, no delay. */
  up(): void
  /** Answer every notification `ms` real milliseconds late (the host gives up after 3 s). */
  slow(ms: number): void
}

export interface TestGameServer {
  url: string
  /** What to configure as the mini game's delivery (and test delivery) URL. */
  deliveryUrl: string
  receiver: ReceiverSwitch
  /** Every notification received, in order. */
  received(): readonly ReceivedNotification[]
  /** How many times the goods of an order were granted (1 after any number of duplicates). */
  grantCount(outTradeNo: string): number
  refundsOf(outTradeNo: string): readonly RefundRecord[]
  close(): Promise<void>
}

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

/** A host call of the game server (game-sdk's host client) that failed: the game server answers 502 with the SDK's reason. */
async function fromHost<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (error) {
    if (error instanceof GameSdkError) throw new SimulatorError('UPSTREAM_FAILED', error.message, { cause: error })
    throw error
  }
}

/** Fresh, valid (WeChat's rule: up to 32 of [0-9A-Za-z_-|*@]) and unique per server. */
function newOutTradeNo(sequence: number): string {
  return `SC${Date.now().toString(36)}${sequence.toString(36)}${randomBytes(4).toString('hex')}`.toUpperCase()
}

/**
 * Starts a test game server on 127.0.0.1, on a free port.
 *
 * @example
 * const game = await startTestGameServer({ hostUrl: sandboxUrl, appId, appSecret, appKey, prices: { gem_pack_small: 99 } })
 * await fetch(`${sandboxUrl}/_sim/minigames/${appId}`, { method: 'PATCH', body: JSON.stringify({ deliveryUrl: game.deliveryUrl }) })
 */
export async function startTestGameServer(options: TestGameServerOptions): Promise<TestGameServer> {
  const host = createHostClient({ baseUrl: options.hostUrl, appId: options.appId, appSecret: options.appSecret, appKey: options.appKey })
  const currency = options.currency ?? 'USD'
  /** Every session_key of a player, oldest first. */
  const sessionKeys = new Map<string, string[]>()
  const orders = new Map<string, OrderRecord>()
  const grants = new Map<string, number>()
  const refunds: RefundRecord[] = []
  const received: ReceivedNotification[] = []
  const fault = { failNext: 0, down: false, slowMs: 0 }
  let sequence = 0

  const app = express()
  app.disable('x-powered-by')
  // On loopback, for the runner only: no other Host name, no changes from a web page (docs/security.md).
  app.use(requestGuard({ sites: createSiteAllowlist({ howToAllowHost: 'call it as 127.0.0.1, as the scenario runner does' }), onRefuse: refuseWithSimulatorError }))
  const json = jsonBody('16kb')

  app.post('/login', json, async (req, res) => {
    const { code } = parseInput(loginBody, req.body, 'login')
    const session = await fromHost(host.code2Session(code))
    sessionKeys.set(session.openid, [...(sessionKeys.get(session.openid) ?? []), session.session_key])
    res.json({ openid: session.openid })
  })

  app.post('/orders', json, (req, res) => {
    const input = parseInput(orderBody, req.body, 'order')
    const keys = sessionKeys.get(input.openid) ?? []
    const sessionKey = input.staleSessionKey ? keys.at(-2) : keys.at(-1)
    if (!sessionKey) throw new SimulatorError('CONFLICT', input.staleSessionKey ? 'no previous session_key: log the player in twice' : 'the player is not logged in')
    const price = input.price ?? options.prices[input.productId]
    if (price === undefined) throw new SimulatorError('NOT_FOUND', `no price for ${input.productId}: give the buy a price, or the scenario prices`)
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

  // The receiver switch sits in front of the real handler and records what arrives.
  const receiverSwitch: RequestHandler = (req, res, next) => {
    const peeked = peekNotification(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))
    const forced = fault.down || fault.failNext > 0
    res.on('finish', () => received.push({ ...peeked, status: res.statusCode, forcedFailure: forced }))
    const answer = () => {
      if (!forced) return next()
      if (!fault.down) fault.failNext -= 1
      res.status(503).json({ returnCode: '1', returnMessage: 'scenario: receiver down', data: '' })
    }
    if (fault.slowMs > 0) setTimeout(answer, fault.slowMs)
    else answer()
  }

  app.post(
    '/delivery',
    express.raw({ type: () => true, limit: '64kb' }),
    receiverSwitch,
    createDeliveryHandler({
      appKey: options.appKey,
      ledger: createMemoryLedger(),
      deliver: ({ payload }) => {
        const order = orders.get(payload.OutTradeNo)
        if (!order) throw new SimulatorError('NOT_FOUND', `unknown OutTradeNo ${payload.OutTradeNo}`)
        if (order.openid !== payload.OpenId || order.productId !== payload.GoodsInfo.ProductId) {
          throw new SimulatorError('CONFLICT', `the notification for ${payload.OutTradeNo} does not match the order this server signed`)
        }
        grants.set(payload.OutTradeNo, (grants.get(payload.OutTradeNo) ?? 0) + 1)
      },
      refund: ({ payload }) => {
        if (!grants.has(payload.MchOrderId)) throw new SimulatorError('CONFLICT', `refund for ${payload.MchOrderId}, which this server never granted`)
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
    const input = parseInput(refundBody, req.body, 'refund')
    const query = await fromHost(host.xpay('/xpay/query_order', { openid: input.openid, order_id: input.outTradeNo }))
    const leftFee = Number((query.order as { left_fee?: number } | undefined)?.left_fee ?? 0)
    const refundOrderId = `RS${randomBytes(8).toString('hex')}`.toUpperCase()
    const result = await fromHost(host.xpay('/xpay/refund_order', {
      openid: input.openid,
      order_id: input.outTradeNo,
      refund_order_id: refundOrderId,
      left_fee: leftFee,
      refund_fee: input.amount ?? leftFee,
      refund_reason: input.reason ?? 'scenario',
    }))
    res.json(result)
  })

  // The simulator's own error shape, `{error: {code, message}}`, so the runner reads both alike.
  app.use(notFound)
  app.use(errorHandler())

  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    deliveryUrl: `${url}/delivery`,
    receiver: {
      failNext: (count) => Object.assign(fault, { failNext: count, down: false }),
      down: () => Object.assign(fault, { down: true }),
      up: () => Object.assign(fault, { failNext: 0, down: false, slowMs: 0 }),
      slow: (ms) => Object.assign(fault, { slowMs: ms }),
    },
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
