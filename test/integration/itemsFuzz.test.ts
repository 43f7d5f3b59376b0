import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsoleClient } from '../support/console'
import { startStack, type Stack } from '../support/stack'
import { GEM, XLSX, send, workbook } from './itemsFixtures'

/**
 * Generated bad input against the item routes: never a 5xx, and a refusal never changes
 * the store. FUZZ_RUNS sets the inputs per property (as test/integration/fuzz.test.ts).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100)

let stack: Stack
let mpadmin: ConsoleClient
beforeAll(async () => {
  stack = await startStack()
  mpadmin = await ConsoleClient.login(stack, 'mpadmin')
})
afterAll(async () => {
  await stack.close()
})

const snapshot = () => JSON.stringify(stack.sim.store.state)
const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('productId', 'productIds', 'name', 'price', 'imageUrl', 'description', 'message'), fc.oneof(fc.jsonValue(), fc.string(), fc.integer())),
)

async function expectNo5xxAndUnchanged(call: () => Promise<{ status: number; json?: unknown }>) {
  const before = snapshot()
  const reply = await call()
  expect(reply.status, JSON.stringify(reply.json)).toBeLessThan(500)
  if (reply.status >= 400) expect(snapshot()).toBe(before)
}

describe('generated bad input to the item routes', () => {
  it('JSON bodies: no 5xx, and a refusal changes nothing', { timeout: 120_000 }, async () => {
    const routes: [string, string][] = [
      ['POST', `/minigames/${GEM}/items`],
      ['PATCH', `/minigames/${GEM}/items/dragon_egg`],
      ['POST', `/minigames/${GEM}/items/release`],
      ['POST', `/minigames/${GEM}/items/remove`],
    ]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(anyJson, fc.string()), async ([method, path], body) => {
        await expectNo5xxAndUnchanged(() => mpadmin.call(method, path, typeof body === 'string' ? body : JSON.stringify(body)))
      }),
      { numRuns: RUNS },
    )
  })

  it('bytes as a spreadsheet or an image, and item sheets with random cells: no 5xx, and a refusal changes nothing', { timeout: 120_000 }, async () => {
    const cell = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.record({ formula: fc.constant('A1') }))
    const randomSheet = fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 6 }).map((rows) => workbook(rows))
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((bytes) => Promise.resolve(Buffer.from(bytes))), randomSheet),
        fc.constantFrom('import', 'image'),
        async (file, target) => {
          const body = await file
          await expectNo5xxAndUnchanged(() =>
            target === 'import'
              ? send(mpadmin, 'POST', `/minigames/${GEM}/items/import?mode=validRowsOnly`, body, XLSX)
              : send(mpadmin, 'PUT', `/minigames/${GEM}/items/dragon_egg/image`, body, 'image/png'),
          )
        },
      ),
      { numRuns: RUNS },
    )
  })
})
