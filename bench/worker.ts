/**
 * One configuration of `npm run bench` in a process of its own, measured when bench/run.ts
 * asks (over the fork IPC channel), so configurations can be alternated round after round
 * while each keeps its own warmed-up JIT and its own heap: 100,000 stored orders in one
 * heap must not slow the garbage collection of the 0-stored configuration.
 *
 * Roles (argv[2]):
 * - `bare`: an Express 5 app answering a small JSON POST, and the client of the purchase
 *   path's HTTP hops (the simulator's postText: node:http, keep-alive) or, for reference
 *   only, Node's global fetch;
 * - `seed --stored-orders N --data-dir D`: writes N delivered orders into a data folder and
 *   exits (the simulator's own close leaves them in its snapshot);
 * - `purchase --data-dir D`: the simulator on that folder (or a new one) and the sample game
 *   server, 16 logged-in headless players; a purchase is timed hop by hop;
 * - `scenarios`: the shipped QA scenarios (simulator/scenarios) against an in-memory
 *   simulator, as `superapp-sim scenario run` runs them.
 */
import diagnostics from 'node:diagnostics_channel'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import express from 'express'
import { connectHeadlessPlayer, type HeadlessPlayer } from '@superapp-sim/game-sdk/node'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { startSimulator } from '../simulator/src/app'
import { postText } from '../simulator/src/delivery/postText'
import { loadScenarios } from '../simulator/src/scenarios/loader'
import { runScenarios } from '../simulator/src/scenarios/runner'
import { OrderStatus, type Order } from '../simulator/src/store/model'
import { listen, postJson } from '../test/support/http'
import { startStack, type Stack } from '../test/support/stack'
import type { Hops, Slice } from './measurement'
import { round } from './stats'

const root = path.resolve(import.meta.dirname, '..')

/** How long a measured (or warm-up) window runs: at least `seconds`, and at least `minOps` operations. */
export interface Window {
  seconds: number
  minOps: number
}

export type WorkerRole = 'bare' | 'seed' | 'purchase' | 'scenarios'

/**
 * The HTTP client of a bare measurement: the purchase path's (node:http keep-alive,
 * simulator/src/delivery/postText.ts), or Node's global fetch, for reference only.
 */
export type BareClient = 'purchase path' | 'fetch'

export type WorkerRequest =
  | { id: number; type: 'measure'; concurrency: number; window: Window; warmup: Window; client?: BareClient }
  | { id: number; type: 'close' }

/** What the seeded data folder holds. */
export interface StoreOnDisk {
  orders: number
  bytes: number
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'seeded'; onDisk: StoreOnDisk }
  | { type: 'reply'; id: number; ok: true; result: Slice | undefined }
  | { type: 'reply'; id: number; ok: false; error: string }

interface Timed<S> {
  /** The span the rate is taken over, and the operations completed within it. */
  ratedSeconds: number
  ratedOps: number
  latencies: number[]
  samples: S[]
}

/**
 * Runs `op` over `concurrency` workers until the window has lasted `seconds` and done
 * `minOps` operations; every operation started is finished and its latency kept. The rate
 * counts the operations completed by the deadline over the window's seconds: counting the
 * tail too (the clients finishing one by one, fewer at a time) would lower a slow
 * operation's rate more than a fast one's, and the more so the shorter the window.
 */
async function runWindow<S>(concurrency: number, window: Window, op: (worker: number) => Promise<S>): Promise<Timed<S>> {
  const latencies: number[] = []
  const samples: S[] = []
  let started = 0
  let doneByDeadline = 0
  const begin = performance.now()
  const deadline = begin + window.seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline || started < window.minOps) {
        started++
        const t = performance.now()
        samples.push(await op(worker))
        const end = performance.now()
        latencies.push(end - t)
        if (end <= deadline) doneByDeadline++
      }
    }),
  )
  // A window of a few operations (--quick, or a slow machine that had not done minOps by the deadline): all of it.
  if (window.seconds > 0 && doneByDeadline >= window.minOps) return { ratedSeconds: window.seconds, ratedOps: doneByDeadline, latencies, samples }
  return { ratedSeconds: (performance.now() - begin) / 1000, ratedOps: latencies.length, latencies, samples }
}

/** Counts the HTTP requests and new TCP connections of this process (Node's diagnostics channels). */
function connectionCounter(): { read(): { httpRequests: number; connectionsOpened: number } } {
  let httpRequests = 0
  let connectionsOpened = 0
  // fetch (undici) and node:http each publish their requests; every new TCP connection a client opens, whichever.
  diagnostics.subscribe('undici:request:create', () => void httpRequests++)
  diagnostics.subscribe('http.client.request.start', () => void httpRequests++)
  diagnostics.subscribe('net.client.socket', () => void connectionsOpened++)
  return { read: () => ({ httpRequests, connectionsOpened }) }
}
const connections = connectionCounter()

/** Measures one slice after a warm-up of the same operation, and sends back every operation's latency and sample. */
async function measure<S>(concurrency: number, window: Window, warmup: Window, op: (worker: number) => Promise<S>): Promise<{ slice: Slice; samples: S[] }> {
  // The warm-up also reopens keep-alive connections that timed out while other workers ran.
  await runWindow(concurrency, warmup, op)
  const before = connections.read()
  const cpu = process.cpuUsage()
  const timed = await runWindow(concurrency, window, op)
  const cpuMs = cpuMsSince(cpu)
  const after = connections.read()
  return {
    samples: timed.samples,
    slice: {
      seconds: timed.ratedSeconds,
      completed: timed.ratedOps,
      latencies: timed.latencies.map((ms) => round(ms, 3)),
      cpuMs,
      httpRequests: after.httpRequests - before.httpRequests,
      connectionsOpened: after.connectionsOpened - before.connectionsOpened,
      rssMb: round(process.memoryUsage().rss / 2 ** 20, 1),
    },
  }
}

/** User and system CPU ms of this process (all its threads) since `start`. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1000
}

interface Configuration {
  measure(request: Extract<WorkerRequest, { type: 'measure' }>): Promise<Slice>
  close(): Promise<void>
}

/**
 * A POST of JSON over the purchase path's HTTP client, the simulator's own (postText:
 * node:http on keep-alive connections), which sends the delivery notifications: the bench
 * player sends its order request with it too, and the bare baseline measures it.
 */
async function postJsonKeepAlive(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const { status, text } = await postText(url, body, { headers: { 'content-type': 'application/json', ...headers }, timeoutMs: 30_000, readLimit: 1 << 20, keepBytes: 0 })
  return { status, text }
}

/** The bare baseline: the same POST-JSON-read-text exchange as the purchase's HTTP hops, over their client, with nothing behind it. */
async function bare(): Promise<Configuration> {
  const app = express()
  app.post('/echo', express.json(), (req, res) => void res.json({ ok: true, got: req.body }))
  const server = await listen(app)
  const url = `${server.url}/echo`
  const body = JSON.stringify({ hello: 'world' })
  const purchasePathPost = async () => {
    const response = await postJsonKeepAlive(url, body)
    if (response.status !== 200) throw new Error(`bare HTTP answered ${response.status}`)
  }
  // Reference only: Node's global fetch, which both hops used before (report version 2).
  const fetchPost = async () => {
    const response = await postJson(url, body)
    if (response.status !== 200) throw new Error(`bare HTTP over fetch answered ${response.status}`)
  }
  return {
    async measure({ concurrency, window, warmup, client }) {
      return (await measure(concurrency, window, warmup, client === 'fetch' ? fetchPost : purchasePathPost)).slice
    },
    async close() {
      await server.close()
    },
  }
}

interface BenchPlayer {
  headless: HeadlessPlayer
  /** The sample game server's session token. */
  token: string
}

/** A headless player logged in to the sample game: wx.login over its socket, the code exchanged by the game server. */
async function loggedIn(stack: Stack, playerId: string): Promise<BenchPlayer> {
  const headless = await connectHeadlessPlayer({ simulatorUrl: stack.sim.url, appId: DEMO_GAME.appId, playerId })
  const code = await headless.payments.login()
  const session = await postJson(`${stack.game.url}/api/login`, { code })
  if (session.status !== 200) throw new Error(`game login failed: ${session.text}`)
  return { headless, token: session.json.token }
}

function filler(i: number): Order {
  const playerId = `player-${(i % 2) + 1}`
  return {
    orderNo: `SIM20260101${String(i + 1).padStart(8, '0')}`,
    appId: DEMO_GAME.appId,
    playerId,
    openid: `oFiller${playerId}`,
    outTradeNo: `FILL${i}`,
    productId: 'gem_pack_small',
    item: { name: 'Handful of Gems', price: 99, imageUrl: '/media/items/gem_pack_small.svg' },
    quantity: 1,
    unitPrice: 99,
    totalPrice: 99,
    currency: 'USD',
    env: 0,
    attach: '{"openid":"x"}',
    zoneId: '',
    signData: '{"mode":"goods"}',
    status: OrderStatus.DELIVERED,
    deliveryFailed: false,
    refundedAmount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    paidAt: '2026-01-01T00:00:01.000Z',
    deliveredAt: '2026-01-01T00:00:02.000Z',
  }
}

/** When the product said each step of one purchase happened (performance.now() at the event). */
interface PurchaseMarks {
  created?: number
  paid?: number
  delivered?: number
  deliveryHttpMs?: number
  done?: () => void
}

/**
 * Fills a data folder with `storedOrders` delivered orders, in a process of its own (the
 * `seed` role): the purchase worker then opens the folder as a restarted simulator does, its
 * snapshot read lazily, row by row as a record is used. Seeded in the measuring process
 * instead, the 100,000 orders stayed in its heap as objects: a state no user's simulator is
 * in (docs/decisions/011-bench-method.md, items 7 and 8).
 */
async function seed(storedOrders: number, dataDir: string): Promise<StoreOnDisk> {
  const stack = await startStack({ dataDir, sampleGameInMemory: true, simulator: { storeOptions: {} } })
  await stack.sim.store.mutate((state) => void state.orders.push(...Array.from({ length: storedOrders }, (_, i) => filler(i))))
  const orders = stack.sim.store.state.orders.length
  // Closing checkpoints: the orders go to the snapshot, the journal is left empty.
  await stack.close()
  return folderOnDisk(dataDir, orders)
}

/** What the seeded folder holds: every file (state.json, the snapshot with the orders, the journal); counting named files missed the snapshot. */
async function folderOnDisk(dataDir: string, orders: number): Promise<StoreOnDisk> {
  const names = await readdir(dataDir)
  const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(dataDir, name))).size))
  return { orders, bytes: sizes.reduce((sum, size) => sum + size, 0) }
}

/**
 * Full headless purchases (login excluded): the order signed by the sample game server over
 * HTTP, wx.requestMidasPaymentGameItem by a headless player over its WebSocket, the sheet
 * confirmed by the sandbox's sheet policy, the delivery notification received and
 * acknowledged by the game server over HTTP. Each hop is timed by the events the simulator
 * emits anyway (its event bus is synchronous: the listener runs at the moment of the step).
 */
async function purchases(dataDir: string): Promise<Configuration> {
  // The sample game server keeps its own data in memory here: the bench measures the host.
  // The store as users run it: without the test suite's check of every write (verifyTablesOnly).
  const stack = await startStack({ dataDir, sampleGameInMemory: true, simulator: { storeOptions: {} } })
  // The host allows one open sheet per player: each of the 16 workers plays a player of its own.
  await stack.sim.store.mutate((state) => {
    for (let i = 3; i <= 16; i++) state.players.push({ id: `player-${i}`, nickname: `P${i}`, avatarColor: '#888' })
  })
  // The sheet is answered by the host's policy, as a QA run would set it.
  stack.sim.core.payments.policies.set({ policy: 'confirm' })
  const players: BenchPlayer[] = []
  for (let i = 1; i <= 16; i++) players.push(await loggedIn(stack, `player-${i}`))

  const marks = new Map<string, PurchaseMarks>()
  const marksOf = (outTradeNo: string) => marks.get(outTradeNo) ?? marks.set(outTradeNo, {}).get(outTradeNo)!
  stack.sim.events.subscribe((event) => {
    const now = performance.now()
    if (event.type === 'order.created') marksOf(event.outTradeNo).created = now
    else if (event.type === 'order.paid') marksOf(event.outTradeNo).paid = now
    else if (event.type === 'delivery.attempt' && event.kind === 'delivery' && event.outcome === 'success') {
      const mark = marksOf(event.outTradeNo)
      mark.delivered = now
      mark.deliveryHttpMs = event.latencyMs
      mark.done?.()
    }
  })

  const ORDER_BODY = JSON.stringify({ productId: 'gem_pack_small' })
  const buy = async (worker: number): Promise<Hops> => {
    const player = players[worker]!
    const start = performance.now()
    const order = await postJsonKeepAlive(`${stack.game.url}/api/orders`, ORDER_BODY, { authorization: `Bearer ${player.token}` })
    if (order.status !== 200) throw new Error(`order failed: ${order.text}`)
    const signedAt = performance.now()
    const { outTradeNo, ...signed } = JSON.parse(order.text) as { outTradeNo: string; signData: string; paySig: string; signature: string }
    const mark = marksOf(outTradeNo)
    const delivered = new Promise<void>((resolve) => (mark.delivered ? resolve() : (mark.done = resolve)))
    const result = await player.headless.payments.purchase(signed)
    if (result.status !== 'paid') throw new Error(`payment failed: ${JSON.stringify(result)}`)
    const toldAt = performance.now()
    await delivered
    marks.delete(outTradeNo)
    const { created = signedAt, paid = created, delivered: deliveredAt = paid } = mark
    return {
      sign: signedAt - start,
      openSheet: created - signedAt,
      confirm: paid - created,
      deliveryAcknowledged: deliveredAt - paid,
      total: Math.max(toldAt, deliveredAt) - start,
      resultToPlayer: toldAt - paid,
      deliveryHttp: mark.deliveryHttpMs ?? 0,
    }
  }
  return {
    async measure({ concurrency, window, warmup }) {
      if (concurrency > players.length) throw new Error(`at most ${players.length} players`)
      const { slice, samples } = await measure(concurrency, window, warmup, buy)
      return { ...slice, hops: samples }
    },
    async close() {
      await Promise.all(players.map((p) => p.headless.close()))
      await stack.close()
    },
  }
}

/** The shipped scenarios, all of them per operation, four at a time as the CLI runs them. */
async function scenarios(): Promise<Configuration> {
  const sim = await startSimulator({ port: 0, memory: true, log: () => {} })
  const loaded = await loadScenarios([path.join(root, 'simulator/scenarios')])
  if (loaded.problems.length > 0) throw new Error(`the shipped scenarios do not load: ${loaded.problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('; ')}`)
  const warmupScenario = loaded.scenarios.filter((s) => s.file.endsWith('purchase-success.yaml'))
  return {
    async measure({ window, warmup }) {
      // Warm-up: one purchase scenario (a whole run would double the phase's time).
      for (let i = 0; i < warmup.minOps; i++) await runScenarios(warmupScenario, { simulatorUrl: sim.url })
      const before = connections.read()
      const cpu = process.cpuUsage()
      const durations: number[] = []
      let failed = 0
      const begin = performance.now()
      while (durations.length === 0 || performance.now() - begin < window.seconds * 1000) {
        const summary = await runScenarios(loaded.scenarios, { simulatorUrl: sim.url })
        failed += summary.failed + summary.errors
        for (const result of summary.results) durations.push(result.durationMs)
      }
      const after = connections.read()
      return {
        seconds: (performance.now() - begin) / 1000,
        completed: durations.length,
        latencies: durations,
        cpuMs: cpuMsSince(cpu),
        httpRequests: after.httpRequests - before.httpRequests,
        connectionsOpened: after.connectionsOpened - before.connectionsOpened,
        rssMb: round(process.memoryUsage().rss / 2 ** 20, 1),
        failed,
      }
    },
    async close() {
      await sim.close()
    },
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'stored-orders': { type: 'string', default: '0' }, 'data-dir': { type: 'string' } },
  })
  const role = positionals[0] as WorkerRole
  const send = (message: WorkerMessage) => process.send!(message)
  if (role === 'seed') {
    const onDisk = await seed(Number(values['stored-orders']), values['data-dir'] ?? '')
    // Exits once the parent knows the folder is ready.
    process.send!({ type: 'seeded', onDisk } satisfies WorkerMessage, () => process.exit(0))
    return
  }
  const configuration =
    role === 'bare'
      ? await bare()
      : role === 'purchase'
        ? await purchases(values['data-dir'] ?? '')
        : role === 'scenarios'
          ? await scenarios()
          : undefined
  if (!configuration) throw new Error(`unknown bench worker role "${role}": bare, purchase or scenarios`)
  // One request at a time: run.ts measures one slice at a time across all workers.
  process.on('message', (request: WorkerRequest) => {
    if (request.type === 'close') {
      configuration.close().then(
        // Exits once the reply is out, whatever handles a library left open.
        () => void process.send!({ type: 'reply', id: request.id, ok: true, result: undefined } satisfies WorkerMessage, () => process.exit(0)),
        (error: Error) => send({ type: 'reply', id: request.id, ok: false, error: error.stack ?? String(error) }),
      )
      return
    }
    configuration.measure(request).then(
      (result) => send({ type: 'reply', id: request.id, ok: true, result }),
      (error: Error) => send({ type: 'reply', id: request.id, ok: false, error: error.stack ?? String(error) }),
    )
  })
  send({ type: 'ready' })
}

if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: Error) => {
    console.error(`bench worker ${process.argv[2]}: ${error.stack ?? error}`)
    process.exit(1)
  })
}
