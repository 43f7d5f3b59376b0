import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import express from 'express'
import { afterAll, describe, expect, it } from 'vitest'
import { serializeSignData } from '@superapp-sim/game-sdk'
import { sasSuccessReply } from '@superapp-sim/game-sdk'
import { signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { OrderStatus } from '../../simulator/src/store/model'
import { Store } from '../../simulator/src/store/store'
import { killSimulator, spawnSimulator } from '../support/childSimulator'
import { listen, postJson } from '../support/http'

/**
 * Kills the simulator with SIGKILL at random points of a purchase load, restarts it on the
 * same data folder, and checks that nothing acknowledged was lost. CRASH_KILLS sets the
 * number of kills (10 by default, kept short for npm test); CRASH_SEED replays a run.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 10)
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 100_000)
const PLAYERS = ['player-1', 'player-2']

function random(seed: number) {
  let state = seed || 1
  return () => {
    state = (state * 48271) % 2147483647
    return state / 2147483647
  }
}

let cleanup: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const step of cleanup.reverse()) await step()
})

describe(`crash safety (seed ${SEED}, ${KILLS} kills)`, () => {
  it('loses no acknowledged order across SIGKILLs, and delivers every paid one', { timeout: 120_000 }, async () => {
    const next = random(SEED)
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-crash-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const received = new Set<string>()
    const receiverApp = express()
    receiverApp.post('/api/delivery', express.json(), (req, res) => {
      received.add(JSON.parse(req.body.Payload).OutTradeNo)
      res.json(sasSuccessReply())
    })
    const receiver = await listen(receiverApp)
    cleanup.push(receiver.close)

    const acknowledged = new Map<string, string>() // orderNo -> outTradeNo
    const sessionKeys = new Map<string, string>()
    let sequence = 0

    async function login(url: string, playerId: string) {
      const code = await postJson(`${url}/host/api/login`, { appId: DEMO_GAME.appId, playerId })
      const query = new URLSearchParams({ appid: DEMO_GAME.appId, secret: DEMO_GAME.appSecret, js_code: code.json.code, grant_type: 'authorization_code' })
      const session = (await (await fetch(`${url}/sns/jscode2session?${query}`)).json()) as { session_key: string }
      sessionKeys.set(playerId, session.session_key)
    }

    async function purchase(url: string, playerId: string) {
      const outTradeNo = `CRASH${SEED}X${sequence++}`
      const signData = serializeSignData({ productId: 'gem_pack_small', goodsPrice: 99, buyQuantity: 1, currencyType: 'USD', outTradeNo })
      const params = { signData, paySig: signPaySig(DEMO_GAME.appKey, signData), signature: signUserSignature(sessionKeys.get(playerId)!, signData) }
      const started = await postJson(`${url}/host/api/payments`, { appId: DEMO_GAME.appId, playerId, params })
      if (!started.json?.ok) return
      const paid = await postJson(`${url}/host/api/payments/${started.json.sheet.orderNo}/confirm`, { playerId })
      if (paid.status === 200 && paid.json.errCode === 0) acknowledged.set(paid.json.orderNo, outTradeNo)
    }

    for (let round = 0; round <= KILLS; round++) {
      const { child, url } = await spawnSimulator(dataDir, receiver.url)
      for (const player of PLAYERS) await login(url, player)
      // Each player buys in a loop until the kill; requests in flight at the kill are not acknowledged.
      let running = true
      const loops = PLAYERS.map(async (player) => {
        while (running) await purchase(url, player).catch(() => (running = false))
      })
      if (round < KILLS) {
        await new Promise((resolve) => setTimeout(resolve, 20 + next() * 180))
        await killSimulator(child)
        running = false
        await Promise.all(loops)
      } else {
        running = false
        await Promise.all(loops)
        // Let the last run deliver what is pending (the receiver is healthy), then stop it.
        await new Promise((resolve) => setTimeout(resolve, 500))
        await killSimulator(child)
      }
    }

    if (process.env.CRASH_REPORT) console.info(`crash test: ${KILLS} kills, ${acknowledged.size} acknowledged orders, seed ${SEED}`)
    expect(acknowledged.size).toBeGreaterThan(KILLS)
    const store = await Store.file(dataDir)
    JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8'))
    for (const line of (await readFile(path.join(dataDir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean)) JSON.parse(line)
    const lost = [...acknowledged.keys()].filter((orderNo) => {
      const order = store.state.orders.get(orderNo)
      return !order || order.status < OrderStatus.PAID
    })
    expect(lost, `lost acknowledged orders (seed ${SEED})`).toEqual([])
    for (const orderNo of acknowledged.keys()) {
      const notifications = store.state.outbox.byIndex('order', orderNo).filter((n) => n.kind === 'delivery')
      expect(notifications, `order ${orderNo} has one delivery notification`).toHaveLength(1)
      const notification = notifications[0]!
      if (notification.state === 'delivered') expect(received.has(notification.outTradeNo)).toBe(true)
      else expect(notification.state).toBe('pending')
    }
    const delivered = [...acknowledged.keys()].filter((orderNo) => store.state.orders.get(orderNo)!.status === OrderStatus.DELIVERED)
    expect(delivered.length).toBeGreaterThan(acknowledged.size / 2)
    await store.close()
  })
})
