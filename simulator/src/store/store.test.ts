import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Collection, indexOn } from './collection'
import { OrderStatus, emptyState, type Order } from './model'
import { Store, TABLES_ONLY } from './store'

let dirs: string[] = []
let opened: Store[] = []
afterEach(async () => {
  // Every store a test opened is closed, also one it left as after a kill, so that no file
  // handle is left to the garbage collector; then the folders go.
  for (const store of opened) await store.close()
  opened = []
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})
async function openStore(...args: Parameters<typeof Store.file>): Promise<Store> {
  const store = await Store.file(...args)
  opened.push(store)
  return store
}
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
    refundedAmount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

/** The journal's entries (its first line says which snapshot it continues). */
const journalLines = async (dir: string) => (await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean).slice(1)

const orderIndex = indexOn<Order>()

describe('Collection', () => {
  it('keeps indexes current when an indexed field changes in a mutation', () => {
    const orders = new Collection<Order>('orders', 'orderNo', {
      openSheet: orderIndex(['status', 'playerId'], (o) => (o.status === OrderStatus.CREATED ? o.playerId : undefined)),
    })
    orders.push(order(1, { status: OrderStatus.CREATED }), order(2))
    orders.settle()
    expect(orders.byIndex('openSheet', 'player-1').map((o) => o.orderNo)).toEqual([order(1).orderNo])
    orders.tracking = true
    orders.get(order(1).orderNo)!.status = OrderStatus.PAID
    orders.tracking = false
    orders.settle()
    expect(orders.byIndex('openSheet', 'player-1')).toEqual([])
    expect(orders.takeChanges().records.map((o) => o.orderNo)).toEqual([order(1).orderNo, order(2).orderNo])
    expect(orders.takeChanges()).toEqual({ records: [], patches: [] })
  })

  it('marks only the records a mutation looked up', () => {
    const orders = new Collection<Order>('orders', 'orderNo')
    orders.load([order(1), order(2), order(3)])
    orders.tracking = true
    orders.get(order(2).orderNo)
    orders.tracking = false
    orders.settle()
    orders.find((o) => o.orderNo === order(3).orderNo) // outside a mutation: not marked
    orders.settle()
    expect(orders.takeChanges().records.map((o) => o.orderNo)).toEqual([order(2).orderNo])
  })
})

describe('Store on files', () => {
  it('appends only the records a change touched, whatever the history', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.replace({ ...emptyState(), miniGames: [] })
    await store.mutate((s) => void s.orders.push(...Array.from({ length: 1000 }, (_, i) => order(i))))
    expect(await journalLines(dir)).toHaveLength(1000)
    await store.mutate((s) => void (s.orders.get(order(500).orderNo)!.status = OrderStatus.REFUNDED))
    const lines = await journalLines(dir)
    expect(lines).toHaveLength(1001)
    expect(JSON.parse(lines.at(-1)!).r).toMatchObject({ orderNo: order(500).orderNo, status: OrderStatus.REFUNDED })
    await store.close()
    const reopened = await openStore(dir)
    expect(reopened.state.orders.length).toBe(1000)
    expect(reopened.state.orders.get(order(500).orderNo)!.status).toBe(OrderStatus.REFUNDED)
    await reopened.close()
  })

  it('shares one write among the changes of one tick', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await Promise.all([1, 2, 3].map((n) => store.mutate((s) => void s.orders.push(order(n)))))
    expect(await journalLines(dir)).toHaveLength(3)
    await store.close()
  })

  it('drops a torn last line left by a crash, and cuts it from the file so later appends stay whole', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(order(1), order(2)))
    // As a kill leaves it: no close, so no snapshot; the journal holds everything.
    await appendFile(path.join(dir, 'journal.jsonl'), '{"c":"orders","r":{"orderNo":"SIM2026')
    const reopened = await openStore(dir)
    expect(reopened.state.orders.map((o) => o.orderNo)).toEqual([order(1).orderNo, order(2).orderNo])
    await reopened.mutate((s) => void s.orders.push(order(3)))
    expect((await journalLines(dir)).map((l) => JSON.parse(l).r.orderNo)).toEqual([order(1).orderNo, order(2).orderNo, order(3).orderNo])
    await reopened.close()
  })

  it('never reuses an order number, whether the journal or the snapshot holds the highest', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(order(41)))
    expect((await openStore(dir)).state.counters.order).toBe(41) // from the journal, as after a kill
    await store.close()
    expect((await openStore(dir)).state.counters.order).toBe(41) // from the snapshot
  })

  it('checkpoints to a snapshot once the journal is long, keeping every record', async () => {
    const dir = await tempDir()
    const store = await openStore(dir, { compactAfterLines: 10 })
    await store.mutate((s) => void s.orders.push(order(1)))
    for (let i = 0; i < 12; i++) await store.mutate((s) => void (s.orders.get(order(1).orderNo)!.attach = `v${i}`))
    expect((await journalLines(dir)).length).toBeLessThanOrEqual(10)
    const reopened = await openStore(dir)
    expect(reopened.state.orders.get(order(1).orderNo)!.attach).toBe('v11')
    await store.close()
  })
})

describe('patches', () => {
  it('journal only what changed, and replay on top of the record', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(order(1, { attach: 'x'.repeat(1000) })))
    await store.mutate((s) => void s.orders.patch(order(1).orderNo, { set: { zoneId: 'z1', paidAt: undefined }, append: {} }))
    const patchLine = (await journalLines(dir)).at(-1)!
    expect(JSON.parse(patchLine)).toEqual({ c: 'orders', k: order(1).orderNo, p: { set: { zoneId: 'z1' }, unset: ['paidAt'], append: {} } })
    expect(patchLine.length).toBeLessThan(120)
    const reopened = await openStore(dir) // as after a kill: the journal is replayed
    expect(reopened.state.orders.get(order(1).orderNo)).toEqual({ ...order(1, { attach: 'x'.repeat(1000), zoneId: 'z1' }) })
    await store.close()
  })

  it('are not written when the whole record is written in the same write', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(order(1)))
    await Promise.all([
      store.mutate((s) => void s.orders.patch(order(1).orderNo, { set: { zoneId: 'z1' } })),
      store.mutate((s) => void (s.orders.get(order(1).orderNo)!.attach = 'a2')),
    ])
    const lines = (await journalLines(dir)).map((line) => JSON.parse(line))
    expect(lines).toHaveLength(2)
    expect(lines[1].r).toMatchObject({ zoneId: 'z1', attach: 'a2' })
    await store.close()
  })
})

describe('the snapshot', () => {
  it('is written at close; the next open parses no record until one is used, and its indexes still answer', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(...Array.from({ length: 500 }, (_, i) => order(i + 1, { status: i === 7 ? OrderStatus.CREATED : i === 9 ? OrderStatus.PAID : OrderStatus.DELIVERED }))))
    await store.close()
    expect(await journalLines(dir)).toEqual([])
    const reopened = await openStore(dir)
    const { orders } = reopened.state
    expect(orders.length).toBe(500)
    expect(orders.parsedCount).toBe(0)
    expect(orders.allIndexed('openSheet').map((o) => o.orderNo)).toEqual([order(8).orderNo])
    expect(orders.byIndex('paidUndelivered', 'paid').map((o) => o.orderNo)).toEqual([order(10).orderNo])
    expect(orders.parsedCount).toBe(2)
    expect(orders.byIndex('outTradeNo', `app\n${order(300).outTradeNo}`)).toEqual([order(300)])
    expect(orders.parsedCount).toBe(3)
    expect(orders.toJSON()).toEqual(Array.from({ length: 500 }, (_, i) => order(i + 1, { status: i === 7 ? OrderStatus.CREATED : i === 9 ? OrderStatus.PAID : OrderStatus.DELIVERED })))
    await reopened.close()
  })

  it('takes the journal written after it on top, and copies unparsed rows into the next one as they were', async () => {
    const dir = await tempDir()
    const first = await openStore(dir)
    await first.mutate((s) => void s.orders.push(order(1), order(2), order(3)))
    await first.close()
    const second = await openStore(dir)
    await second.mutate((s) => void (s.orders.get(order(2).orderNo)!.attach = 'changed'))
    await second.mutate((s) => void s.orders.push(order(4)))
    await second.close()
    expect(second.state.orders.parsedCount).toBe(2)
    const third = await openStore(dir)
    expect(third.state.orders.toJSON()).toEqual([order(1), order(2, { attach: 'changed' }), order(3), order(4)])
    await third.close()
  })

  it('ignores a journal the snapshot already holds (a kill between the two writes of a checkpoint)', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(order(1)))
    await store.mutate((s) => void s.orders.patch(order(1).orderNo, { append: {} , set: { attach: 'patched' } }))
    const journalBefore = await readFile(path.join(dir, 'journal.jsonl'))
    await store.close()
    await writeFile(path.join(dir, 'journal.jsonl'), journalBefore)
    const reopened = await openStore(dir)
    expect(reopened.state.orders.toJSON()).toEqual([order(1, { attach: 'patched' })])
    expect(await journalLines(dir)).toEqual([])
    await reopened.close()
  })

  it('is never read half written: a temp file a kill left is removed, the old snapshot stands', async () => {
    const dir = await tempDir()
    const store = await openStore(dir)
    await store.mutate((s) => void s.orders.push(order(1)))
    await store.close()
    await writeFile(path.join(dir, 'tables.snapshot.12345.tmp'), '{"format":"superapp-sim tables","ver')
    const reopened = await openStore(dir)
    expect(reopened.state.orders.toJSON()).toEqual([order(1)])
    expect((await readdir(dir)).sort()).toEqual(['journal.jsonl', 'state.json', 'tables.snapshot'])
    await reopened.close()
  })
})

describe('tablesOnly writes', () => {
  it('leave state.json alone, and a tablesOnly change to it is caught with verifyTablesOnly', async () => {
    const dir = await tempDir()
    const store = await openStore(dir, { verifyTablesOnly: true })
    await store.replace({ ...emptyState(), miniGames: [] })
    const before = await readFile(path.join(dir, 'state.json'), 'utf8')
    await store.mutate((state) => void state.orders.push(order(1)), TABLES_ONLY)
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe(before)
    expect((await journalLines(dir)).length).toBe(1)
    await expect(store.mutate((state) => void (state.superapp.name = 'Changed'), TABLES_ONLY)).rejects.toThrow(/marked tablesOnly changed what state.json holds/)
    await store.close()
  })

  it('are caught in memory too', async () => {
    const store = await Store.memory({ verifyTablesOnly: true })
    await store.mutate((state) => void (state.superapp.name = 'Named'))
    await store.mutate((state) => void state.orders.push(order(1)), TABLES_ONLY)
    await expect(store.mutate((state) => void state.players.push({ id: 'p', nickname: 'P', avatarColor: '#000' }), TABLES_ONLY)).rejects.toThrow(/marked tablesOnly/)
  })
})
