import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { ManualClock } from '../../simulator/src/clock'
import { RETRY_SCHEDULE_MS } from '../../simulator/src/delivery/deliveryEngine'
import { OrderStatus } from '../../simulator/src/store/model'
import { ConsoleClient } from '../support/console'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

/**
 * Many players buying at once while console users read: no error, no duplicated
 * outTradeNo, no lost delivery. LOAD_PLAYERS and LOAD_PURCHASES scale it (50 x 2 by default).
 *
 * Under this load on a slow machine a game server can answer a delivery after the host's
 * 3 s, and the host then retries it on the schedule, as the real one does: the simulator
 * runs on a clock the test moves through the retries, so no delivery is lost whatever the
 * machine's speed, and a late one must still be granted once.
 */
const PLAYERS = Number(process.env.LOAD_PLAYERS ?? 50)
const PURCHASES_EACH = Number(process.env.LOAD_PURCHASES ?? 2)

const clock = new ManualClock(Date.now())
let stack: Stack
beforeAll(async () => {
  stack = await startStack({ simulator: { clock } })
  await stack.sim.store.mutate((state) => {
    for (let i = 3; i <= PLAYERS; i++) state.players.push({ id: `player-${i}`, nickname: `Load ${i}`, avatarColor: '#999' })
  })
})
afterAll(async () => {
  await stack.close()
})

describe(`load: ${PLAYERS} players x ${PURCHASES_EACH} purchases with console readers`, () => {
  it('completes every purchase, delivers each once, and serves the readers without errors', { timeout: 120_000 }, async () => {
    const players = await Promise.all(
      Array.from({ length: PLAYERS }, async (_, i) => {
        const player = new ScriptedPlayer(stack, `player-${i + 1}`)
        await player.login()
        return player
      }),
    )
    const readers = await Promise.all(['operator', 'superadmin'].map((u) => ConsoleClient.login(stack, u)))
    let buying = true
    const readerErrors: number[] = []
    const reading = readers.map(async (reader) => {
      while (buying) {
        for (const path of [`/minigames/${DEMO_GAME.appId}/notifications`, `/minigames/${DEMO_GAME.appId}/delivery-config`]) {
          const reply = await reader.get(path)
          if (reply.status !== 200) readerErrors.push(reply.status)
        }
      }
    })
    const results = await Promise.all(
      players.map(async (player) => {
        const outcomes = []
        for (let i = 0; i < PURCHASES_EACH; i++) outcomes.push(await player.buy('gem_pack_small'))
        return outcomes
      }),
    )
    buying = false
    await Promise.all(reading)
    await stack.sim.delivery.idle()
    // Every first attempt was made at the same (frozen) time, so each step of the schedule is the next retry of all that failed.
    for (const wait of RETRY_SCHEDULE_MS) {
      if (stack.sim.store.state.outbox.byIndex('pending', 'pending').length === 0) break
      clock.advance(wait)
      await stack.sim.delivery.idle()
    }

    const all = results.flat()
    expect(all.filter((r) => r.result?.errCode !== 0)).toEqual([])
    expect(readerErrors).toEqual([])
    const orders = stack.sim.store.state.orders.filter((o) => o.appId === DEMO_GAME.appId)
    expect(orders).toHaveLength(PLAYERS * PURCHASES_EACH)
    expect(new Set(orders.map((o) => o.outTradeNo)).size).toBe(orders.length)
    expect(orders.every((o) => o.status === OrderStatus.DELIVERED)).toBe(true)
    const granted = new Set(players.flatMap((p) => stack.game.inventory.grantsOf(p.openid).map((g) => g.outTradeNo)))
    expect(granted).toEqual(new Set(all.map((r) => r.outTradeNo)))
  })
})
