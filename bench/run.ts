/**
 * `npm run bench`: what a purchase costs, measured in one run on this machine (absolute
 * times are noisy here; read the ratios). Prints a table and writes .reports/bench.json.
 *
 * - full headless purchases (login excluded): the order signed by the sample game server
 *   over HTTP, wx.requestMidasPaymentGameItem by a headless player over its WebSocket, the
 *   sheet confirmed by the sandbox's sheet policy, the delivery notification received and
 *   acknowledged by the game server over HTTP; with 1 and 16 concurrent players: rate and
 *   p50/p99;
 * - a bare loopback HTTP request/response, measured the same way, and the ratio;
 * - the purchase rate with 0 and with 100,000 orders already stored, and the ratio;
 * - cold start of `superapp-sim start --no-game` to its first served request, and the store on disk;
 * - the sample game's frame rate in headless Chromium at phone size while it plays (bench/fps.ts).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import express from 'express'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { OrderStatus, type Order } from '../simulator/src/store/model'
import { listen, postJson } from '../test/support/http'
import { buildStale } from '../scripts/artefacts.mjs'
import { measureGameFps } from './fps'
import { connectHeadlessPlayer, type HeadlessPlayer } from '@superapp-sim/game-sdk/node'
import { startStack, type Stack } from '../test/support/stack'

const STORED_ORDERS = Number(process.env.BENCH_STORED_ORDERS ?? 100_000)
const PURCHASES = { 1: 200, 16: 800 } as const
const HTTP_REQUESTS = 3000
const root = path.resolve(import.meta.dirname, '..')

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

interface RunResult {
  perSecond: number
  p50Ms: number
  p99Ms: number
}

/** Runs `total` operations over `concurrency` workers; each op resolves when complete. */
async function run(concurrency: number, total: number, op: (worker: number) => Promise<void>): Promise<RunResult> {
  const latencies: number[] = []
  let issued = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (issued < total) {
        issued++
        const t = performance.now()
        await op(worker)
        latencies.push(performance.now() - t)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { perSecond: Math.round(total / seconds), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) }
}

const round = (n: number) => Math.round(n * 100) / 100

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

/** One purchase, done when the game server has acknowledged the delivery. */
function purchaser(stack: Stack, players: BenchPlayer[]) {
  const waiting = new Map<string, () => void>()
  stack.sim.events.subscribe((event) => {
    if (event.type === 'delivery.attempt' && event.outcome === 'success') waiting.get(event.outTradeNo)?.()
  })
  return async (worker: number) => {
    const player = players[worker]!
    const order = await postJson(`${stack.game.url}/api/orders`, { productId: 'gem_pack_small' }, { authorization: `Bearer ${player.token}` })
    if (order.status !== 200) throw new Error(`order failed: ${order.text}`)
    const { outTradeNo, ...signed } = order.json
    const delivered = new Promise<void>((resolve) => waiting.set(outTradeNo, resolve))
    const result = await player.headless.payments.purchase(signed)
    if (result.status !== 'paid') throw new Error(`payment failed: ${JSON.stringify(result)}`)
    await delivered
    waiting.delete(outTradeNo)
  }
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
    createdAt: '2026-01-01T00:00:00.000Z',
    paidAt: '2026-01-01T00:00:01.000Z',
    deliveredAt: '2026-01-01T00:00:02.000Z',
  }
}

async function purchaseRuns(storedOrders: number, dataDir: string) {
  // The sample game server keeps its own data in memory here: the bench measures the host.
  const stack = await startStack({ dataDir, sampleGameInMemory: true })
  try {
    if (storedOrders > 0) {
      await stack.sim.store.mutate((state) => void state.orders.push(...Array.from({ length: storedOrders }, (_, i) => filler(i))))
    }
    // The host allows one open sheet per player: each of the 16 workers plays a player of its own.
    await stack.sim.store.mutate((state) => {
      for (let i = 3; i <= 16; i++) state.players.push({ id: `player-${i}`, nickname: `P${i}`, avatarColor: '#888' })
    })
    // The sheet is answered by the host's policy, as a QA run would set it.
    stack.sim.core.payments.policies.set({ policy: 'confirm' })
    const players: BenchPlayer[] = []
    for (let i = 1; i <= 16; i++) players.push(await loggedIn(stack, `player-${i}`))
    const buy = purchaser(stack, players)
    await run(1, 20, buy) // warm-up
    const one = await run(1, PURCHASES[1], buy)
    const sixteen = await run(16, PURCHASES[16], buy)
    const files = stack.sim.store.files!
    const bytes = (await stat(files.state)).size + (await stat(files.journal)).size
    await Promise.all(players.map((p) => p.headless.close()))
    return { one, sixteen, storeBytes: bytes, orders: stack.sim.store.state.orders.length }
  } finally {
    await stack.close()
  }
}

async function bareHttp() {
  const app = express()
  app.post('/echo', express.json(), (req, res) => void res.json({ ok: true, got: req.body }))
  const server = await listen(app)
  try {
    const op = async () => {
      await postJson(`${server.url}/echo`, { hello: 'world' })
    }
    await run(1, 200, op)
    return { one: await run(1, HTTP_REQUESTS, op), sixteen: await run(16, HTTP_REQUESTS, op) }
  } finally {
    await server.close()
  }
}

/**
 * The simulator as a user starts it (`superapp-sim start`, the simulator alone), from the
 * command to its first served request. It runs the server bundle, built first if stale.
 */
async function coldStart(dataDir: string): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['simulator/bin/superapp-sim.mjs', 'start', '--port', '0', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      // A start that never gets ready must fail the bench, not hang it.
      const deadline = setTimeout(() => reject(new Error(`the simulator was not ready within 60 s: ${out}`)), 60_000)
      child.stdout!.on('data', (chunk) => {
        out += chunk
        const match = /Simulator APIs:\s+(\S+)/.exec(out)
        if (match) {
          clearTimeout(deadline)
          resolve(match[1]!)
        }
      })
      void exited.then(() => {
        clearTimeout(deadline)
        reject(new Error(`the simulator exited before it was ready: ${out}`))
      })
    })
    const response = await fetch(`${url}/host/api/config`)
    if (!response.ok) throw new Error(`first request failed: ${response.status}`)
    return Math.round(performance.now() - started)
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
}

const work = await mkdtemp(path.join(tmpdir(), 'sim-bench-'))
try {
  const http = await bareHttp()
  // Alternated and run twice, keeping each size's better run: whichever goes first would
  // otherwise pay for the JIT's warm-up and look slower.
  const best = (a: Awaited<ReturnType<typeof purchaseRuns>>, b: Awaited<ReturnType<typeof purchaseRuns>>) => ({
    ...b,
    one: a.one.perSecond >= b.one.perSecond ? a.one : b.one,
    sixteen: a.sixteen.perSecond >= b.sixteen.perSecond ? a.sixteen : b.sixteen,
  })
  const empty1 = await purchaseRuns(0, path.join(work, 'empty1'))
  const full1 = await purchaseRuns(STORED_ORDERS, path.join(work, 'full1'))
  const empty2 = await purchaseRuns(0, path.join(work, 'empty'))
  const full2 = await purchaseRuns(STORED_ORDERS, path.join(work, 'full'))
  const empty = best(empty1, empty2)
  const full = best(full1, full2)
  await buildStale(['game-sdk', 'simulator', 'host', 'console', 'sdk'])
  // The better of two starts each: the first also warms the file cache.
  const coldEmpty = Math.min(await coldStart(path.join(work, 'empty')), await coldStart(path.join(work, 'empty')))
  const coldFull = Math.min(await coldStart(path.join(work, 'full')), await coldStart(path.join(work, 'full')))

  // The game's frame rate last, alone on the machine: the purchase runs are over.
  const gameFps = await measureGameFps({ seconds: 5 }).then(
    ({ fps, p95FrameMs, longFrames, viewport, renderer, glRenderer, load }) => ({ fps, p95FrameMs, longFrames, viewport, renderer, glRenderer, load }),
    (error: Error) => ({ skipped: `no browser measurement: ${error.message.split('\n')[0]}` }),
  )

  const results = {
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    bareHttp: http,
    purchases: { storedOrders0: empty, [`storedOrders${STORED_ORDERS}`]: full },
    ratios: {
      purchaseVsBareHttp1: round(empty.one.perSecond / http.one.perSecond),
      purchaseVsBareHttp16: round(empty.sixteen.perSecond / http.sixteen.perSecond),
      [`purchaseAt${STORED_ORDERS}VsAt0_1`]: round(full.one.perSecond / empty.one.perSecond),
      [`purchaseAt${STORED_ORDERS}VsAt0_16`]: round(full.sixteen.perSecond / empty.sixteen.perSecond),
    },
    coldStartMs: { storedOrders0: coldEmpty, [`storedOrders${STORED_ORDERS}`]: coldFull },
    storeBytes: { storedOrders0: empty.storeBytes, [`storedOrders${STORED_ORDERS}`]: full.storeBytes },
    gameFps,
  }
  console.table({
    'bare HTTP, 1 client': http.one,
    'bare HTTP, 16 clients': http.sixteen,
    'purchase, 0 stored, 1 player': empty.one,
    'purchase, 0 stored, 16 players': empty.sixteen,
    [`purchase, ${STORED_ORDERS} stored, 1 player`]: full.one,
    [`purchase, ${STORED_ORDERS} stored, 16 players`]: full.sixteen,
  })
  console.log('ratios:', results.ratios)
  console.log('cold start to first request (ms):', results.coldStartMs)
  console.log('store on disk (bytes):', results.storeBytes)
  console.log('sample game in headless Chromium:', gameFps)
  console.log('machine:', results.machine)
  await mkdir(path.join(root, '.reports'), { recursive: true })
  await writeFile(path.join(root, '.reports/bench.json'), JSON.stringify(results, null, 2))
  console.log('JSON: .reports/bench.json')
} finally {
  await rm(work, { recursive: true, force: true })
}
