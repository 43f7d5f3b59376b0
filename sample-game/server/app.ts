import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import { z } from 'zod'
import { GameSdkError, errorMessage } from '@superapp-sim/game-sdk'
import { jsonBody, requestGuard } from '@superapp-sim/game-sdk/express'
import { createDeliveryHandler, createHostClient, createSiteAllowlist, signOrder, type DeliveryPayload } from '@superapp-sim/game-sdk/server'
import { createReceiverFault, RECEIVER_FAULT_MODES } from '@superapp-sim/game-sdk/testing'
import { SAMPLE_GAME } from '../shared/catalog'
import { GameApiError } from '../shared/errors'
import { consoleExportSource } from './consoleCatalog'
import { InventoryStore, type PendingOrder } from './inventoryStore'
import { ShopCatalog } from './shopCatalog'

/** The web build of the game (vite build --mode game), beside these sources. */
const defaultClientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/web')
/** The mini game package build of the game (vite build --mode minigame), beside these sources. */
const defaultMiniGameDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/minigame')

export interface SampleGameOptions {
  /** Default 7071; 0 picks a free port. */
  port?: number
  host?: string
  /** The simulator (the host) the server talks to for jscode2session. */
  simulatorUrl?: string
  memory?: boolean
  dataDir?: string
  /** Built game client. Default sample-game/dist/web. */
  clientDir?: string
  /** Built mini game package, served at /minigame/. Default sample-game/dist/minigame. */
  miniGameDir?: string
  /**
   * The console account this server reads the released item catalog with (the console's
   * item export). Default: the demo's read-only operator. `false`: the game's own list only.
   */
  consoleAccount?: { username: string; password: string } | false
  log?: (message: string) => void
  /**
   * Host names this server answers to besides localhost, 127.0.0.1 and [::1] (a leading dot
   * allows subdomains); `npm start -- --allowed-host` passes the simulator's list here too.
   */
  allowedHosts?: string[]
  /**
   * The LAN demo (`npm start -- --lan`): the host shell on a phone frames this game, so it
   * listens on every interface, answers to the machine's network `address` too, and lets a
   * device of the network in only when `admit` (the simulator's invitation check) does.
   */
  lan?: { address: string; admit: RequestHandler }
}

export interface RunningSampleGame {
  url: string
  port: number
  inventory: InventoryStore
  close(): Promise<void>
}

interface PlayerSession {
  openid: string
  sessionKey: string
}

const receiverBody = z.object({ mode: z.enum(RECEIVER_FAULT_MODES), count: z.number().int().min(1).max(100).default(1) })
const loginBody = z.object({ code: z.string().min(1).max(200) })
const orderBody = z.object({ productId: z.string().min(1).max(64), quantity: z.number().int().min(1).max(99).default(1) })

/**
 * The sample game's backend, "the developer's server": logs players in through the host,
 * signs orders, receives the host's delivery notification (through game-sdk/server) and
 * keeps each player's inventory. Items are granted only there, never on the client's word.
 */
export async function startSampleGame(options: SampleGameOptions = {}): Promise<RunningSampleGame> {
  const log = options.log ?? ((message: string) => console.log(message))
  const inventory = await InventoryStore.open({ memory: options.memory, dataDir: options.dataDir })
  const hostClient = createHostClient({
    baseUrl: options.simulatorUrl ?? 'http://127.0.0.1:7070',
    appId: SAMPLE_GAME.appId,
    appSecret: SAMPLE_GAME.appSecret,
  })
  // Prices and names come from the host's released catalog: signing with anything else is -15016.
  const account = options.consoleAccount ?? { username: 'operator', password: 'password' }
  const shop = new ShopCatalog(
    account ? consoleExportSource({ consoleUrl: options.simulatorUrl ?? 'http://127.0.0.1:7070', appId: SAMPLE_GAME.appId, ...account }) : undefined,
    log,
  )
  await shop.refresh()
  // Game sessions live in memory: after a restart the client logs in again, as real games do.
  const sessions = new Map<string, PlayerSession>()

  const requirePlayer: RequestHandler = (req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1]
    const session = token ? sessions.get(token) : undefined
    if (!session) throw new GameApiError(401, 'UNAUTHENTICATED', 'log in first: POST /api/login with a wx.login code')
    res.locals.player = session
    next()
  }

  const app = express()
  app.disable('x-powered-by')
  // Who may talk to this server (docs/security.md): loopback or allowed Host names only, and
  // no changes from another site's pages. The simulator's delivery calls send no Origin.
  const sites = createSiteAllowlist({
    allowedHosts: [...(options.allowedHosts ?? []), ...(options.lan ? [options.lan.address] : [])],
    listenHost: options.host ?? '127.0.0.1',
    howToAllowHost: 'start it with --allowed-host <name> (npm start passes it on), or pass allowedHosts: ["<name>"] to startSampleGame',
  })
  app.use(requestGuard({ sites }))
  if (options.lan) app.use(options.lan.admit)

  // A switch for demos: make this receiver misbehave for the next N notifications and watch
  // the host retry. Off by default; the delivery handler itself is always the real one.
  // The same switch as the test game server's (game-sdk/testing).
  const receiverFault = createReceiverFault()
  app.put('/api/demo/receiver', jsonBody({ limit: '1kb' }), (req, res) => {
    const { mode, count } = parse(receiverBody, req.body)
    const state = receiverFault.set(mode, { count })
    log(`[sample-game] receiver: ${mode === 'ok' ? 'healthy' : `${mode} for the next ${count} notification(s)`}`)
    res.json(state)
  })
  app.get('/api/demo/receiver', (_req, res) => void res.json(receiverFault.state()))
  app.post('/api/delivery', receiverFault.middleware)

  // Mounted before the JSON body guard: the handler needs the raw body to check PayEventSig.
  app.post(
    '/api/delivery',
    createDeliveryHandler({
      appKey: SAMPLE_GAME.appKey,
      // The inventory is the ledger: a grant (or revocation) and its record are one write.
      ledger: {
        has: (key) => (key.startsWith('refund:') ? inventory.hasRevocation(key.slice('refund:'.length)) : inventory.hasGrant(key)),
        add: () => {},
      },
      refund: async ({ payload }) => {
        if (!inventory.hasGrant(payload.MchOrderId)) throw new Error(`refund for ${payload.MchOrderId}, which this server never granted`)
        await inventory.addRevocation({ refundId: payload.WxRefundId, outTradeNo: payload.MchOrderId, refundFee: payload.RefundFee, revokedAt: new Date().toISOString() })
        log(`[sample-game] refund ${payload.WxRefundId}: ${payload.RefundFee} back on ${payload.MchOrderId}`)
      },
      deliver: async ({ payload }) => {
        const order = inventory.findOrder(payload.OutTradeNo)
        if (!order) throw new Error(`unknown OutTradeNo ${payload.OutTradeNo}`)
        // Grant what this server signed for, never what a notification says: a mismatch is
        // refused (the host keeps the order undelivered and someone looks at it).
        const mismatch = orderMismatch(order, payload)
        if (mismatch) throw new Error(`notification for ${payload.OutTradeNo} does not match the order this server signed: ${mismatch}`)
        await inventory.addGrant({
          outTradeNo: payload.OutTradeNo,
          openid: payload.OpenId,
          productId: payload.GoodsInfo.ProductId,
          quantity: order.quantity,
          hostOrderNo: payload.WeChatPayInfo?.MchOrderNo,
          grantedAt: new Date().toISOString(),
        })
        log(`[sample-game] granted ${order.productId} x${order.quantity} to ${order.openid} (${payload.OutTradeNo})`)
      },
      onRejected: (error) => log(`[sample-game] refused a delivery notification: ${error.message}`),
    }),
  )

  app.use('/api', jsonBody({ limit: '8kb' }))

  app.post('/api/login', async (req, res) => {
    const { code } = parse(loginBody, req.body)
    const { openid, session_key } = await hostClient.code2Session(code).catch((error: unknown) => {
      throw new GameApiError(502, 'LOGIN_FAILED', errorMessage(error))
    })
    const token = randomBytes(24).toString('base64url')
    sessions.set(token, { openid, sessionKey: session_key })
    res.json({ token, openid })
  })

  // Each visit to the shop syncs the catalog, so an item released in the console shows up on the next load.
  app.get('/api/shop', async (_req, res) => {
    await shop.refresh()
    res.json({ currency: SAMPLE_GAME.currency, items: shop.list() })
  })

  app.post('/api/orders', requirePlayer, async (req, res) => {
    const player = res.locals.player as PlayerSession
    const { productId, quantity } = parse(orderBody, req.body)
    // An item this server has not seen yet may have been released since the last sync.
    const item = shop.find(productId) ?? (await shop.refresh(), shop.find(productId))
    if (!item) throw new GameApiError(404, 'UNKNOWN_ITEM', `no item ${productId} in the shop`)
    const outTradeNo = `GQ${Date.now().toString(36)}${randomBytes(6).toString('hex')}`.toUpperCase()
    const signed = signOrder({
      appKey: SAMPLE_GAME.appKey,
      sessionKey: player.sessionKey,
      order: {
        buyQuantity: quantity,
        currencyType: SAMPLE_GAME.currency,
        productId,
        goodsPrice: item.price,
        outTradeNo,
        attach: JSON.stringify({ openid: player.openid }),
      },
    })
    await inventory.addOrder({ outTradeNo, openid: player.openid, productId, quantity, price: item.price, createdAt: new Date().toISOString() })
    res.json({ ...signed, outTradeNo })
  })

  app.get('/api/inventory', requirePlayer, (_req, res) => {
    const player = res.locals.player as PlayerSession
    const grants = inventory.grantsOf(player.openid).map((g) => {
      const order = inventory.findOrder(g.outTradeNo)
      const refunded = inventory.refundedOf(g.outTradeNo)
      // A fully refunded order takes its goods back; a partial refund leaves them, marked.
      const revoked = order ? refunded >= order.price * order.quantity : refunded > 0
      return { ...g, refunded, revoked }
    })
    const counts = new Map<string, number>()
    for (const g of grants) if (!g.revoked) counts.set(g.productId, (counts.get(g.productId) ?? 0) + g.quantity)
    res.json({
      items: [...counts].map(([productId, quantity]) => ({ productId, name: shop.find(productId)?.name ?? productId, quantity })),
      grants: grants.map(({ outTradeNo, productId, quantity, grantedAt, refunded, revoked }) => ({ outTradeNo, productId, quantity, grantedAt, refunded, revoked })),
    })
  })

  app.use('/api', (req) => {
    throw new GameApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.originalUrl}`)
  })

  // The mini game package (vite build --mode minigame), for the host shell's ?package=<this>/minigame/.
  // Any origin may read it, as from a CDN; gameServer.js names this server, wherever it listens.
  const miniGameDir = options.miniGameDir ?? defaultMiniGameDir
  app.use('/minigame', (_req, res, next) => {
    res.set('access-control-allow-origin', '*')
    next()
  })
  app.get('/minigame/gameServer.js', (req, res) => {
    res.type('application/javascript').set('cache-control', 'no-store').send(`module.exports = ${JSON.stringify(`${req.protocol}://${req.get('host')}`)}\n`)
  })
  if (existsSync(miniGameDir)) app.use('/minigame', express.static(miniGameDir))

  const clientDir = options.clientDir ?? defaultClientDir
  if (existsSync(clientDir)) app.use(express.static(clientDir))
  else app.get('/', (_req, res) => void res.status(503).type('text/plain').send('The game is not built yet: run `npm run build`.'))

  const onError: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error)
    if (error instanceof GameApiError) return void res.status(error.status).json({ error: { code: error.code, message: error.message } })
    if (error instanceof GameSdkError) return void res.status(400).json({ error: { code: error.code, message: error.message } })
    const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500
    if (status === 500) log(`[sample-game] ${error?.stack ?? error}`)
    res.status(status).json({ error: { code: status === 500 ? 'INTERNAL' : 'BAD_REQUEST', message: status === 500 ? 'internal error' : String(error.message) } })
  }
  app.use(onError)

  const server = app.listen(options.port ?? 7071, options.lan ? '0.0.0.0' : (options.host ?? '127.0.0.1'))
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    inventory,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/**
 * What differs between a delivery notification and the order this server signed (player,
 * product, quantity, amount paid), or undefined. ActualPrice is the amount paid for the
 * whole order (the simulator sends the total for a quantity above 1: docs/protocol.md).
 */
function orderMismatch(order: PendingOrder, payload: DeliveryPayload): string | undefined {
  const goods = payload.GoodsInfo
  if (payload.OpenId !== order.openid) return `it is for player ${payload.OpenId}, but this server signed the order for ${order.openid}`
  if (goods.ProductId !== order.productId) return `it delivers product ${goods.ProductId}, but this server signed the order for ${order.productId}`
  if (goods.Quantity !== order.quantity) return `it delivers quantity ${goods.Quantity}, but this server signed the order for ${order.quantity}`
  const total = order.price * order.quantity
  if (goods.ActualPrice !== total) return `it says ${goods.ActualPrice} paid, but this server signed the order for ${total}`
  return undefined
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body)
  if (!result.success) throw new GameApiError(400, 'VALIDATION_FAILED', z.prettifyError(result.error).replaceAll('\n', ' '))
  return result.data
}
