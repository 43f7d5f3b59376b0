import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { InventoryStore } from './inventoryStore'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sample-inventory-'))
  dirs.push(dir)
  return dir
}

const order = (outTradeNo: string, openid: string) => ({ outTradeNo, openid, productId: 'golden_sword', quantity: 1, price: 299, createdAt: '2026-12-01T00:00:00.000Z' })
const grant = (outTradeNo: string, openid: string) => ({ outTradeNo, openid, productId: 'golden_sword', quantity: 1, grantedAt: '2026-12-01T00:00:01.000Z' })

describe("the sample game server's inventory", () => {
  it('answers from what it wrote, and again after a restart from its file', async () => {
    const dir = await freshDir()
    const first = await InventoryStore.open({ dataDir: dir })
    await first.addOrder(order('GQ1', 'oAlice'))
    await first.addOrder(order('GQ2', 'oBob'))
    await first.addOrder(order('GQ3', 'oAlice'))
    await first.addGrant(grant('GQ1', 'oAlice'))
    await first.addGrant(grant('GQ2', 'oBob'))
    await first.addGrant(grant('GQ3', 'oAlice'))
    await first.addRevocation({ refundId: 'R1', outTradeNo: 'GQ1', refundFee: 100, revokedAt: '2026-12-01T00:00:02.000Z' })
    await first.addRevocation({ refundId: 'R2', outTradeNo: 'GQ1', refundFee: 199, revokedAt: '2026-12-01T00:00:03.000Z' })

    // What is on disk is the lists as they were written, nothing of the indexes.
    const file = JSON.parse(await readFile(path.join(dir, 'sample-game.json'), 'utf8')) as Record<string, unknown[]>
    expect(Object.keys(file).sort()).toEqual(['grants', 'orders', 'revocations'])
    expect([file.orders!.length, file.grants!.length, file.revocations!.length]).toEqual([3, 3, 2])

    for (const store of [first, await InventoryStore.open({ dataDir: dir })]) {
      expect(store.findOrder('GQ2')).toMatchObject({ openid: 'oBob', price: 299 })
      expect(store.findOrder('GQ9')).toBeUndefined()
      expect(store.hasGrant('GQ3')).toBe(true)
      expect(store.hasGrant('GQ9')).toBe(false)
      expect(store.grantsOf('oAlice').map((g) => g.outTradeNo)).toEqual(['GQ1', 'GQ3'])
      expect(store.grantsOf('oNobody')).toEqual([])
      expect(store.refundedOf('GQ1')).toBe(299)
      expect(store.refundedOf('GQ3')).toBe(0)
      expect(store.hasRevocation('R2')).toBe(true)
      expect(store.hasRevocation('R3')).toBe(false)
    }
  })

  it('writes a grant or a refund once, however often it is notified', async () => {
    const store = await InventoryStore.open({ memory: true })
    await store.addOrder(order('GQ1', 'oAlice'))
    await store.addGrant(grant('GQ1', 'oAlice'))
    await store.addGrant({ ...grant('GQ1', 'oAlice'), quantity: 5 })
    await store.addRevocation({ refundId: 'R1', outTradeNo: 'GQ1', refundFee: 100, revokedAt: '2026-12-01T00:00:02.000Z' })
    await store.addRevocation({ refundId: 'R1', outTradeNo: 'GQ1', refundFee: 100, revokedAt: '2026-12-01T00:00:03.000Z' })
    expect(store.grantsOf('oAlice')).toEqual([grant('GQ1', 'oAlice')])
    expect(store.refundedOf('GQ1')).toBe(100)
  })

  it("hands out a copy of a player's grants, not its own list", async () => {
    const store = await InventoryStore.open({ memory: true })
    await store.addGrant(grant('GQ1', 'oAlice'))
    store.grantsOf('oAlice').push(grant('GQ2', 'oAlice'))
    expect(store.grantsOf('oAlice')).toHaveLength(1)
  })
  it('answers from a file written before the indexes as a scan of its lists did, duplicates included', async () => {
    const dir = await freshDir()
    const older = { ...order('GQ1', 'oAlice'), price: 100 }
    await writeFile(
      path.join(dir, 'sample-game.json'),
      JSON.stringify({
        orders: [older, { ...order('GQ1', 'oAlice'), price: 999 }],
        grants: [grant('GQ1', 'oAlice'), grant('GQ1', 'oAlice')],
        revocations: [
          { refundId: 'R1', outTradeNo: 'GQ1', refundFee: 30, revokedAt: '2026-12-01T00:00:02.000Z' },
          { refundId: 'R1', outTradeNo: 'GQ1', refundFee: 30, revokedAt: '2026-12-01T00:00:02.000Z' },
        ],
      }),
    )
    const store = await InventoryStore.open({ dataDir: dir })
    expect(store.findOrder('GQ1')).toEqual(older)
    expect(store.grantsOf('oAlice')).toHaveLength(2)
    expect(store.refundedOf('GQ1')).toBe(60)
  })
})
