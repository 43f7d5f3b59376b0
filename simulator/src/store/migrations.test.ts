import { cp, mkdtemp, readFile, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { releasedVersionOf } from '../catalog/itemVersions'
import { OrderStatus } from './model'
import { STATE_VERSION } from './schema'
import { Store } from './store'

/**
 * Data folders as earlier versions of the simulator wrote them (testdata/, written by the
 * code of that version: see testdata/README.md), opened by this one.
 */
let dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})

async function copyOf(fixture: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'sim-migrate-'))
  dirs.push(dir)
  await cp(path.join(import.meta.dirname, 'testdata', fixture), dir, { recursive: true })
  return dir
}
const read = async (dir: string, file: string) => readFile(path.join(dir, file), 'utf8')
const readJson = async (dir: string, file: string) => JSON.parse(await read(dir, file))

/** The state as plain data, to compare two opens. */
const contentOf = (store: Store) => JSON.parse(JSON.stringify(store.state))

describe('migration from version 1 (state.json and a journal without header)', () => {
  it('keeps every record, drops the login codes, completes old items and rewrites the files in the current version', async () => {
    const dir = await copyOf('v1')
    expect((await readJson(dir, 'state.json')).loginCodes).toHaveLength(1)
    const store = await Store.file(dir)
    const { state } = store
    expect(state.version).toBe(STATE_VERSION)
    expect(state.orders.map((o) => [o.orderNo, o.status, o.refundedAmount])).toEqual([
      ['SIM2026031400000001', OrderStatus.DELIVERED, 0],
      ['SIM2026031400000002', OrderStatus.DELIVERED, 200],
      ['SIM2026031400000003', OrderStatus.CLOSED, 0],
      ['SIM2026031400000004', OrderStatus.DELIVERING, 0],
    ])
    expect(state.refunds.map((r) => [r.orderNo, r.amount, r.status])).toEqual([
      ['SIM2026031400000002', 200, 'succeeded'],
      ['SIM2026031400000001', 299, 'pending_approval'],
    ])
    const failing = state.outbox.byIndex('order', 'SIM2026031400000004')[0]!
    expect(failing.attempts.map((a) => a.outcome)).toEqual(['failure', 'failure'])
    expect(failing.state).toBe('pending')
    // Sold before item versions existed: released as it stood, its times unknown (the migration's stand in).
    const boots = state.items.find((i) => i.productId === 'swift_boots')!
    expect(boots).toMatchObject({ description: '', state: 'released' })
    expect(Date.parse(boots.createdAt)).toBeGreaterThan(0)
    expect(releasedVersionOf(boots)).toEqual({ name: boots.name, price: boots.price, imageUrl: boots.imageUrl, description: '', releasedAt: boots.updatedAt })
    // Credentials of the key-pair era (a bare public key, no certificate) are dropped: the
    // console asks for a reissue, and the AppKey that signs payments is kept.
    const gemQuest = state.miniGames.find((g) => g.appId === 'mg5a3f9c2e71d04b88')!
    expect(gemQuest.credentials).toBeNull()
    expect(gemQuest.appKey).toBe('demo-app-key-8c4e2a7f1b9d3e60')
    // New numbers continue after the stored ones.
    expect(state.counters).toMatchObject({ order: 4, notification: 4, refund: 2 })
    await store.close()

    const written = await readJson(dir, 'state.json')
    expect(written.version).toBe(STATE_VERSION)
    expect(written.loginCodes).toBeUndefined()
    expect((await read(dir, 'journal.jsonl')).trim().split('\n')).toEqual([JSON.stringify({ journal: { version: STATE_VERSION, generation: 1 } })])
    expect((await readdir(dir)).sort()).toEqual(['journal.jsonl', 'state.json', 'tables.snapshot'])
    const reopened = await Store.file(dir)
    expect(contentOf(reopened)).toEqual(contentOf(store))
    await reopened.close()
  })
})

describe('migration from version 1 in the layout before the journal (tables inside state.json)', () => {
  it('moves the orders and the outbox to the tables and out of state.json', async () => {
    const dir = await copyOf('v1-before-journal')
    const legacy = await readJson(dir, 'state.json')
    expect(legacy.version).toBeUndefined()
    const store = await Store.file(dir)
    expect(store.state.orders.map((o) => o.orderNo)).toEqual(legacy.orders.map((o: { orderNo: string }) => o.orderNo))
    expect(store.state.outbox.map((n) => n.id)).toEqual(legacy.outbox.map((n: { id: string }) => n.id))
    expect(store.state.counters).toMatchObject({ order: 4, notification: legacy.outbox.length })
    await store.close()
    const written = await readJson(dir, 'state.json')
    expect(written).toMatchObject({ version: STATE_VERSION })
    expect(written.orders).toBeUndefined()
    expect(written.outbox).toBeUndefined()
    const reopened = await Store.file(dir)
    expect(contentOf(reopened)).toEqual(contentOf(store))
    await reopened.close()
  })
})

describe('migration from version 2 (refundedAmount absent until the first refund, request domains absent until set)', () => {
  it('fills refundedAmount in snapshot rows and journal records, fills the request-domain policy, and rewrites the files in the current version', async () => {
    const dir = await copyOf('v2')
    const stored = await readJson(dir, 'state.json')
    expect(stored.version).toBe(2)
    expect(stored.miniGames[0]).not.toHaveProperty('requestDomains')
    const journalLines = (await read(dir, 'journal.jsonl')).trim().split('\n')
    expect(JSON.parse(journalLines[0]!)).toEqual({ journal: { version: 2, generation: 1 } })
    // Order 5 exists only as a journal record, written without refundedAmount.
    expect(journalLines.some((line) => line.includes('"SIM2026031400000005"') && !line.includes('refundedAmount'))).toBe(true)

    const store = await Store.file(dir)
    const { state } = store
    expect(state.version).toBe(STATE_VERSION)
    expect(state.orders.map((o) => [o.orderNo, o.refundedAmount])).toEqual([
      ['SIM2026031400000001', 0],
      ['SIM2026031400000002', 200],
      ['SIM2026031400000003', 0],
      ['SIM2026031400000004', 0],
      ['SIM2026031400000005', 0],
    ])
    // The journal's patch of a snapshot row still applies.
    expect(state.orders.get('SIM2026031400000003')!.zoneId).toBe('z1')
    // Absent was "no domains, loopback allowed" in version 2: the same, written out.
    expect(state.miniGames.map((g) => [g.requestDomains, g.allowLoopbackRequests])).toEqual(state.miniGames.map(() => [[], true]))
    await store.close()

    const written = await readJson(dir, 'state.json')
    expect(written.version).toBe(STATE_VERSION)
    expect(written.miniGames[0]).toMatchObject({ requestDomains: [], allowLoopbackRequests: true })
    expect((await read(dir, 'journal.jsonl')).trim().split('\n')).toEqual([JSON.stringify({ journal: { version: STATE_VERSION, generation: 2 } })])
    const reopened = await Store.file(dir)
    expect(contentOf(reopened)).toEqual(contentOf(store))
    await reopened.close()
  })
})

describe('files that are not the simulator state', () => {
  async function expectRefusal(prepare: (dir: string) => Promise<void>, message: RegExp) {
    const dir = await copyOf('v1')
    await (await Store.file(dir)).close()
    await prepare(dir)
    await expect(Store.file(dir)).rejects.toMatchObject({ code: 'STORED_DATA', message: expect.stringMatching(message) })
  }
  const editJson = (file: string, edit: (data: Record<string, any>) => unknown) => async (dir: string) =>
    writeFile(path.join(dir, file), JSON.stringify(edit(await readJson(dir, file))))

  it('a field of the wrong type in state.json: the file and the field are named', async () => {
    await expectRefusal(editJson('state.json', (s) => ((s.miniGames[0].delivery.enabled = 'yes'), s)), /^state\.json: miniGames\[0\]\.delivery\.enabled: Invalid input: expected boolean, received string\. The file is damaged/)
  })

  it('a foreign JSON file as state.json', async () => {
    await expectRefusal((dir) => writeFile(path.join(dir, 'state.json'), JSON.stringify({ name: 'my-app', version: '1.0.0' })), /^state\.json: version: "1\.0\.0" is not a state version/)
    await expectRefusal((dir) => writeFile(path.join(dir, 'state.json'), '<html>'), /^state\.json is not JSON/)
  })

  it('a state.json from a newer simulator', async () => {
    await expectRefusal(editJson('state.json', (s) => ({ ...s, version: STATE_VERSION + 1 })), new RegExp(`state\\.json was written by a newer superapp-sim \\(state version ${STATE_VERSION + 1}; this one reads up to ${STATE_VERSION}\\): update superapp-sim`))
  })

  it('a journal line that is not a record', async () => {
    await expectRefusal((dir) => writeFile(path.join(dir, 'journal.jsonl'), `${JSON.stringify({ journal: { version: STATE_VERSION, generation: 1 } })}\n{"hello":"world"}\n`), /^journal\.jsonl line 2 is neither a record nor a patch of one/)
    await expectRefusal(
      (dir) => writeFile(path.join(dir, 'journal.jsonl'), `${JSON.stringify({ journal: { version: STATE_VERSION, generation: 1 } })}\n${JSON.stringify({ c: 'orders', r: { orderNo: 'SIM1', status: 'paid' } })}\n`),
      /^journal\.jsonl line 2: orders: appId: Invalid input: expected string, received undefined/,
    )
  })

  it('a snapshot cut short, or one a newer journal continues', async () => {
    await expectRefusal(async (dir) => writeFile(path.join(dir, 'tables.snapshot'), (await readFile(path.join(dir, 'tables.snapshot'))).subarray(0, -10)), /^tables\.snapshot: the file holds \d+ bytes after its header, not the \d+ it announces/)
    await expectRefusal((dir) => rm(path.join(dir, 'tables.snapshot')), /^journal\.jsonl continues tables snapshot 1, but there is no tables\.snapshot/)
  })

  /** The files of `dir` this process holds open (Linux: /proc/self/fd). */
  async function openFilesIn(dir: string): Promise<string[]> {
    const fds = await readdir('/proc/self/fd')
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')))
    const real = await realpath(dir)
    return targets.filter((target) => target.startsWith(real + path.sep))
  }

  it.runIf(process.platform === 'linux')('a refused folder leaves none of its files open', async () => {
    const dir = await copyOf('v1')
    await (await Store.file(dir)).close()
    expect(await readdir(dir)).toContain('tables.snapshot')
    await writeFile(path.join(dir, 'journal.jsonl'), `${JSON.stringify({ journal: { version: STATE_VERSION, generation: 1 } })}\n{"hello":"world"}\n`)
    await expect(Store.file(dir)).rejects.toMatchObject({ code: 'STORED_DATA' })
    expect(await openFilesIn(dir)).toEqual([])
  })

  it('a damaged row of the snapshot: refused when read, with the row named', async () => {
    const dir = await copyOf('v1')
    await (await Store.file(dir)).close()
    const file = path.join(dir, 'tables.snapshot')
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.replace('"status":4', '"status":9'))
    const store = await Store.file(dir)
    expect(() => store.state.orders.get('SIM2026031400000001')).toThrow(/^tables\.snapshot: orders row 1: status: Invalid option: expected one of 0\|1/)
    await store.close()
  })
})
