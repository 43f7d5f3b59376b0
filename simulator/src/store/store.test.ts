import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Collection } from './collection'
import { OrderStatus, emptyState, type Order } from './model'
import { Store, TABLES_ONLY } from './store'

let dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})
async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'sim-store-'))
  dirs.push(dir)
  return dir
}

function order(n: number, overrides: Partial<Order> = {}): Order {
  return {
    orderNo: `SIM20260101${String(n).padStart(8, '0')}`,
    appId: 'app',
    playerId: `player-${n % 3}`,
    openid: 'o',
    outTradeNo: `OUT${n}`,
    productId: 'p',
    item: { name: 'P', price: 1, imageUrl: '' },
    quantity: 1,
    unitPrice: 1,
    totalPrice: 1,
    currency: 'USD',
    env: 0,
    attach: '',
    zoneId: '',
    signData: '{}',
    status: OrderStatus.DELIVERED,
    deliveryFailed: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

const journalLines = async (dir: string) => (await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean)

describe('Collection', () => {
  it('keeps indexes current when an indexed field changes in a mutation', () => {
    const orders = new Collection<Order>('orders', (o) => o.orderNo, {
      openSheet: (o) => (o.status === OrderStatus.CREATED ? o.playerId : undefined),
    })
    orders.push(order(1, { status: OrderStatus.CREATED }), order(2))
    orders.settle()
    expect(orders.byIndex('openSheet', 'player-1').map((o) => o.orderNo)).toEqual([order(1).orderNo])
    orders.tracking = true
    orders.get(order(1).orderNo)!.status = OrderStatus.PAID
    orders.tracking = false
    orders.settle()
    expect(orders.byIndex('openSheet', 'player-1')).toEqual([])
    expect(orders.takeDirty().map((o) => o.orderNo)).toEqual([order(1).orderNo, order(2).orderNo])
    expect(orders.takeDirty()).toEqual([])
  })

  it('marks only the records a mutation looked up', () => {
    const orders = new Collection<Order>('orders', (o) => o.orderNo)
    orders.load([order(1), order(2), order(3)])
    orders.tracking = true
    orders.get(order(2).orderNo)
    orders.tracking = false
    orders.settle()
    orders.find((o) => o.orderNo === order(3).orderNo) // outside a mutation: not marked
    orders.settle()
    expect(orders.takeDirty().map((o) => o.orderNo)).toEqual([order(2).orderNo])
  })
})

describe('Store on files', () => {
  it('appends only the records a change touched, whatever the history', async () => {
    const dir = await tempDir()
    const store = await Store.file(dir)
    await store.replace({ ...emptyState(), miniGames: [] })
    await store.mutate((s) => void s.orders.push(...Array.from({ length: 1000 }, (_, i) => order(i))))
    expect(await journalLines(dir)).toHaveLength(1000)
    await store.mutate((s) => void (s.orders.get(order(500).orderNo)!.status = OrderStatus.REFUNDED))
    const lines = await journalLines(dir)
    expect(lines).toHaveLength(1001)
    expect(JSON.parse(lines.at(-1)!).r).toMatchObject({ orderNo: order(500).orderNo, status: OrderStatus.REFUNDED })
    await store.close()
    const reopened = await Store.file(dir)
    expect(reopened.state.orders.length).toBe(1000)
    expect(reopened.state.orders.get(order(500).orderNo)!.status).toBe(OrderStatus.REFUNDED)
  })

  it('shares one write among the changes of one tick', async () => {
    const dir = await tempDir()
    const store = await Store.file(dir)
    await Promise.all([1, 2, 3].map((n) => store.mutate((s) => void s.orders.push(order(n)))))
    expect(await journalLines(dir)).toHaveLength(3)
  })

  it('drops a torn last line left by a crash, and cuts it from the file so later appends stay whole', async () => {
    const dir = await tempDir()
    const store = await Store.file(dir)
    await store.mutate((s) => void s.orders.push(order(1), order(2)))
    await store.close()
    await appendFile(path.join(dir, 'journal.jsonl'), '{"c":"orders","r":{"orderNo":"SIM2026')
    const reopened = await Store.file(dir)
    expect(reopened.state.orders.map((o) => o.orderNo)).toEqual([order(1).orderNo, order(2).orderNo])
    await reopened.mutate((s) => void s.orders.push(order(3)))
    await reopened.close()
    expect((await journalLines(dir)).map((l) => JSON.parse(l).r.orderNo)).toEqual([order(1).orderNo, order(2).orderNo, order(3).orderNo])
  })

  it('never reuses an order number when the counters in state.json lag behind the journal', async () => {
    const dir = await tempDir()
    const store = await Store.file(dir)
    await store.mutate((s) => void s.orders.push(order(41)))
    await store.close()
    const reopened = await Store.file(dir)
    expect(reopened.state.counters.order).toBe(41)
  })

  it('compacts the journal to one line per live record', async () => {
    const dir = await tempDir()
    const store = await Store.file(dir, { compactAfterLines: 10 })
    await store.mutate((s) => void s.orders.push(order(1)))
    for (let i = 0; i < 12; i++) await store.mutate((s) => void (s.orders.get(order(1).orderNo)!.attach = `v${i}`))
    expect((await journalLines(dir)).length).toBeLessThanOrEqual(10)
    await store.close()
    expect((await Store.file(dir)).state.orders.get(order(1).orderNo)!.attach).toBe('v11')
  })

  it('reads a state.json written before the journal existed, and moves its tables to the journal', async () => {
    const dir = await tempDir()
    const legacy = { ...emptyState(), orders: [order(7)], outbox: [] }
    await writeFile(path.join(dir, 'state.json'), JSON.stringify(legacy))
    const store = await Store.file(dir)
    expect(store.state.orders.get(order(7).orderNo)).toBeDefined()
    await store.close()
    expect(JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')).orders).toBeUndefined()
    expect(await journalLines(dir)).toHaveLength(1)
  })
})

describe('tablesOnly writes', () => {
  it('leave state.json alone, and a tablesOnly change to it is caught under test', async () => {
    const dir = await tempDir()
    const store = await Store.file(dir)
    await store.replace({ ...emptyState(), miniGames: [] })
    const before = await readFile(path.join(dir, 'state.json'), 'utf8')
    await store.mutate((state) => void state.orders.push(order(1)), TABLES_ONLY)
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe(before)
    expect((await journalLines(dir)).length).toBe(1)
    await expect(store.mutate((state) => void (state.superapp.name = 'Changed'), TABLES_ONLY)).rejects.toThrow(/marked tablesOnly changed what state.json holds/)
    await store.close()
  })
})
