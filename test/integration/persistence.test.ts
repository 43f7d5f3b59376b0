import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OrderStatus } from '../../simulator/src/store/model'
import { Store } from '../../simulator/src/store/store'
import { ScriptedPlayer, startStack } from '../support/stack'

let dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})

describe('persistence under the data folder', () => {
  it('keeps orders, deliveries and the game inventory across a restart of both servers', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-data-'))
    dirs.push(dataDir)
    const first = await startStack({ dataDir })
    const player = new ScriptedPlayer(first)
    const { orderNo } = await player.buy('gem_pack_small')
    // Where the games live changes with the test's ports; everything else must survive.
    const withoutAddresses = (games: typeof first.sim.store.state.miniGames) => JSON.stringify(games.map(({ delivery: _delivery, gameUrl: _gameUrl, ...game }) => game))
    const gamesBefore = withoutAddresses(first.sim.store.state.miniGames)
    await first.close()

    // Small data in state.json; the growing tables in tables.snapshot, written at close, so the journal is empty.
    expect(JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')).miniGames).toHaveLength(3)
    expect((await readFile(path.join(dataDir, 'journal.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1)
    const stored = await Store.file(dataDir)
    expect(stored.state.orders.get(orderNo!)?.status).toBe(OrderStatus.DELIVERED)
    await stored.close()

    const second = await startStack({ dataDir })
    try {
      expect(second.sim.store.state.orders.find((o) => o.orderNo === orderNo)?.status).toBe(OrderStatus.DELIVERED)
      // The demo data is seeded once: a restart keeps what the first run changed.
      expect(withoutAddresses(second.sim.store.state.miniGames)).toBe(gamesBefore)
      const again = new ScriptedPlayer(second)
      await again.login()
      expect(again.openid).toBe(player.openid)
      expect((await again.inventory()).items).toEqual([{ productId: 'gem_pack_small', name: 'Handful of Gems', quantity: 1 }])
    } finally {
      await second.close()
    }
  })
})
