import { deflateRawSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type ExcelJS from 'exceljs'
import { STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { ConsoleClient } from '../support/console'
import { startStack, type Stack } from '../support/stack'
import { GEM, HEADER, XLSX, editWorkbook, importXlsx, readSheet, send, workbook } from './itemsFixtures'

// One stack for the file: every test here either refuses (and checks nothing changed) or
// works on IDs of its own, on Star Drift where it needs a clean list.
let stack: Stack
let developer: ConsoleClient
beforeAll(async () => {
  stack = await startStack()
  developer = await ConsoleClient.login(stack, 'developer')
})
afterAll(async () => {
  await stack.close()
})

const snapshot = () => JSON.stringify(stack.sim.store.state)
const itemsOf = (appId: string) => stack.sim.store.state.items.filter((i) => i.appId === appId)
const row = (productId: string, price: ExcelJS.CellValue = 100, extra: ExcelJS.CellValue[] = []): ExcelJS.CellValue[] => [
  productId,
  `Name of ${productId}`,
  price,
  'https://cdn.example.com/i.png',
  'desc',
  ...extra,
]

describe('the template', () => {
  it('is an .xlsx with the header row, an example row and the rules', async () => {
    const template = await send(developer, 'GET', `/minigames/${GEM}/items/template`)
    expect(template.status).toBe(200)
    expect(template.headers.get('content-type')).toBe(XLSX)
    expect(template.headers.get('content-disposition')).toContain('virtual-items-template.xlsx')
    const rows = await readSheet(template.bytes)
    expect(rows[0]).toEqual(HEADER)
    expect(rows[1]).toEqual(['example_sword', 'Example Sword', 299, 'https://example.com/images/sword.png', 'An example: replace this row with your items'])
    expect((await readSheet(template.bytes, 'Rules')).map((r) => r[0])).toEqual(expect.arrayContaining(['Product ID', 'Price (minor units)']))
  })

  it('imports once filled in below the example, which is skipped', async () => {
    const template = await send(developer, 'GET', `/minigames/${STAR_DRIFT_APP_ID}/items/template`)
    const filled = await editWorkbook(template.bytes, (sheet) => {
      sheet.addRow(['fuel_small', 'Small fuel tank', 99, '', 'Refuels 10%'])
      sheet.addRow(['ship_skin_red', 'Red hull', 499, 'https://cdn.example.com/red.png', ''])
    })
    const imported = await importXlsx(developer, STAR_DRIFT_APP_ID, filled)
    expect(imported.status, JSON.stringify(imported.json)).toBe(200)
    expect(imported.json.report).toMatchObject({ rows: 2, added: ['fuel_small', 'ship_skin_red'], skipped: [{ row: 2, reason: "the template's example row" }], errors: [] })
    expect(itemsOf(STAR_DRIFT_APP_ID).find((i) => i.productId === 'ship_skin_red')).toMatchObject({ state: 'draft', price: 499, name: 'Red hull' })
  })
})

describe('export and the round trip', () => {
  it('exports .xlsx and CSV in the template format, and an export edited in Excel imports back', async () => {
    const exported = await send(developer, 'GET', `/minigames/${GEM}/items/export?format=xlsx`)
    expect(exported.headers.get('content-disposition')).toContain(`${GEM}-items.xlsx`)
    const rows = await readSheet(exported.bytes)
    expect(rows[0]).toEqual(HEADER)
    expect(rows.slice(1).map((r) => r[0])).toEqual(['gem_pack_small', 'golden_sword', 'swift_boots', 'gem_chest', 'dragon_egg'])
    expect(rows[2]).toEqual(['golden_sword', 'Golden Sword', 299, '/media/items/golden_sword.svg', 'Doubles your tap power'])

    const csv = await send(developer, 'GET', `/minigames/${GEM}/items/export?format=csv&state=released`)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const lines = csv.bytes.toString('utf8').split('\r\n')
    expect(lines[0]).toBe('\uFEFFProduct ID,Name,Price (minor units),Image URL,Description')
    expect(lines[2]).toBe('golden_sword,Golden Sword,299,/media/items/golden_sword.svg,Doubles your tap power')
    expect(lines.filter(Boolean)).toHaveLength(5)

    // Into another game as it is: every item arrives as a draft.
    const copied = await importXlsx(developer, STAR_DRIFT_APP_ID, exported.bytes)
    expect(copied.status, JSON.stringify(copied.json)).toBe(200)
    expect(copied.json.report.added).toEqual(['gem_pack_small', 'golden_sword', 'swift_boots', 'gem_chest', 'dragon_egg'])

    // Back into the same game, edited: without "update" the stored IDs are duplicates...
    const edited = await editWorkbook(exported.bytes, (sheet) => {
      sheet.getCell('C3').value = 349
      sheet.addRow(['crystal_crown', 'Crystal Crown', 1299, '', 'New in the sheet'])
    })
    const before = snapshot()
    const duplicates = await importXlsx(developer, GEM, edited)
    expect(duplicates.status).toBe(400)
    expect(duplicates.json.report.errors).toHaveLength(5)
    expect(duplicates.json.report.errors[0]).toMatchObject({ row: 2, column: 'Product ID', cell: 'A2' })
    expect(duplicates.json.report.errors[0].message).toMatch(/gem_pack_small already exists in Gem Quest/)
    expect(snapshot()).toBe(before)

    // ...with it, the edited row changes the working copy and the new row is added.
    const updated = await importXlsx(developer, GEM, edited, 'existing=update')
    expect(updated.status, JSON.stringify(updated.json)).toBe(200)
    expect(updated.json.report).toMatchObject({ added: ['crystal_crown'], updated: ['golden_sword'], unchanged: ['gem_pack_small', 'swift_boots', 'gem_chest', 'dragon_egg'] })
    const sword = itemsOf(GEM).find((i) => i.productId === 'golden_sword')!
    expect(sword).toMatchObject({ price: 349, state: 'released', released: { price: 299 } })
    const again = await readSheet((await send(developer, 'GET', `/minigames/${GEM}/items/export`)).bytes)
    expect(again).toEqual(await readSheet(edited))

    // The released view still says what players buy now.
    const released = await readSheet((await send(developer, 'GET', `/minigames/${GEM}/items/export?version=released`)).bytes)
    expect(released.find((r) => r[0] === 'golden_sword')![2]).toBe(299)
    expect(released.map((r) => r[0])).not.toContain('crystal_crown')
  })
})

describe('bad imports: a clear error naming row and column, and the store unchanged', () => {
  let before = ''
  beforeEach(() => {
    before = snapshot()
  })

  async function refused(file: Uint8Array | string, contentType = XLSX, query = '') {
    const reply = await send(developer, 'POST', `/minigames/${GEM}/items/import${query ? `?${query}` : ''}`, file, contentType)
    expect(reply.status, JSON.stringify(reply.json)).toBe(400)
    expect(reply.json.error.code).toBe('VALIDATION_FAILED')
    expect(snapshot()).toBe(before)
    return reply.json as { error: { message: string }; report?: { errors: { row?: number; column?: string; cell?: string; message: string }[] } }
  }

  async function rowErrors(rows: ExcelJS.CellValue[][]) {
    return (await refused(await workbook(rows))).report!.errors
  }

  it('refuses what is not an .xlsx: text, a zip without a workbook, an old .xls, a damaged file, nothing', async () => {
    expect((await refused('Product ID,Name\nsword,Sword')).error.message).toMatch(/not an \.xlsx workbook \(it is not a zip archive\)/)
    const zipHeader = Buffer.from([0x50, 0x4b, 0x03, 0x04])
    expect((await refused(Buffer.concat([zipHeader, Buffer.alloc(40)]))).error.message).toMatch(/truncated/)
    expect((await refused(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).error.message).toMatch(/old \.xls/)
    expect((await refused(zipOf({ 'word/document.xml': '<w/>' }))).error.message).toMatch(/without a workbook/)
    const valid = await workbook([row('a')])
    expect((await refused(valid.subarray(0, valid.length - 200))).error.message).toMatch(/not an \.xlsx|could not be read/)
    expect((await refused(Buffer.alloc(0))).error.message).toMatch(/empty|raw request body/)
    expect((await refused('a,b', 'text/csv')).error.message).toMatch(/row 1 must be the template's header .*found "a \| b"/)
    expect((await refused('"a,b', 'text/csv')).error.message).toMatch(/could not be read as CSV/)
    expect((await refused(JSON.stringify({ rows: [] }), 'application/json')).error.message).toMatch(/raw request body/)
  })

  it('refuses a zip that would unpack to far more than a sheet (a zip bomb) before unpacking it', async () => {
    const bomb = zipOf({ 'xl/workbook.xml': '<workbook/>', 'xl/worksheets/sheet1.xml': Buffer.alloc(80 * 1024 * 1024, 0x20) })
    expect(bomb.length).toBeLessThan(200 * 1024)
    expect((await refused(bomb)).error.message).toMatch(/unpacks to more than 64 MiB/)
  })

  it('refuses a wrong header, an empty workbook, a header alone and the unchanged template', async () => {
    const shifted = await refused(await workbook([row('a')], { header: ['Name', 'Product ID', 'Price (minor units)', 'Image URL', 'Description'] }))
    expect(shifted.error.message).toMatch(/row 1 must be the template's header "Product ID \| Name \| Price \(minor units\) \| Image URL \| Description", found "Name \| Product ID/)
    expect((await refused(await workbook([], { header: null }))).error.message).toMatch(/workbook is empty/)
    expect((await refused(await workbook([]))).error.message).toMatch(/no item rows below the header/)
    const template = (await send(developer, 'GET', `/minigames/${GEM}/items/template`)).bytes
    expect((await refused(template)).error.message).toMatch(/only the template's example row/)
  })

  it('refuses 10,000 rows with the limit, without checking them one by one', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(`bulk_${i}`))
    const reply = await refused(await workbook(rows))
    expect(reply.error.message).toMatch(/the sheet has 10,000 item rows: at most 1,000 per import; split the file/)
    expect(reply.report!.errors).toEqual([{ message: expect.stringMatching(/10,000 item rows/) }])
  }, 30_000)

  it('reports duplicate product IDs within the file and against stored items', async () => {
    const errors = await rowErrors([row('fresh_one'), row('golden_sword'), row('fresh_one')])
    expect(errors).toEqual([
      { row: 3, column: 'Product ID', cell: 'A3', message: expect.stringMatching(/golden_sword already exists in Gem Quest/) },
      { row: 4, column: 'Product ID', cell: 'A4', message: 'fresh_one already appears in row 2: list each product ID once' },
    ])
  })

  it('reports prices as text, negative, zero, fractional, too large or missing', async () => {
    const errors = await rowErrors([row('p1', '299'), row('p2', -5), row('p3', 0), row('p4', 2.99), row('p5', 1e12), row('p6', null)])
    expect(errors.map((e) => [e.row, e.cell, e.column])).toEqual([2, 3, 4, 5, 6, 7].map((r) => [r, `C${r}`, 'Price (minor units)']))
    expect(errors.map((e) => e.message)).toEqual([
      'the price is text ("299"): type it as a number, in minor units (299 for 2.99)',
      'the price must be above 0: got -5',
      'the price must be above 0: got 0',
      'the price is a whole number of minor units (299 for 2.99): got 2.99',
      'the price is at most 99999999 minor units: got 1000000000000',
      'the price is required',
    ])
  })

  it('reports formulas, dates, booleans and error values instead of importing what they show', async () => {
    const errors = await rowErrors([
      row('f1', { formula: 'B1*2', result: 200 }),
      ['f2', { formula: 'UPPER("x")', result: 'X' }, 100, '', ''],
      ['f3', 'Dated', 100, '', new Date(Date.UTC(2026, 0, 1))],
      ['f4', true, 100, '', ''],
      ['f5', { error: '#N/A' }, 100, '', ''],
    ])
    expect(errors.map((e) => `${e.cell} ${e.message}`)).toEqual([
      'C2 the cell holds a formula (=B1*2): formulas are not imported; paste the value itself',
      'B3 the cell holds a formula (=UPPER("x")): formulas are not imported; paste the value itself',
      'E4 the cell holds a date: type the value as text or a number',
      'B5 TRUE is not a valid value here',
      'B6 the cell holds the error #N/A',
    ])
  })

  it('reports very long strings, bad product IDs, bad image URLs, missing fields and extra columns', async () => {
    const errors = await rowErrors([
      ['long_name', 'n'.repeat(5000), 100, '', ''],
      ['long_desc', 'ok', 100, '', 'd'.repeat(501)],
      ['bad id', 'ok', 100, '', ''],
      ['x'.repeat(65), 'ok', 100, '', ''],
      ['bad_url', 'ok', 100, 'ftp://example.com/a.png', ''],
      [null, 'No ID', 100, '', ''],
      ['no_name', null, 100, '', ''],
      ['extra', 'ok', 100, '', '', 'a sixth column'],
    ])
    expect(errors.map((e) => `${e.cell} ${e.message}`)).toEqual([
      'B2 the name is at most 64 characters (this one has 5000)',
      'E3 the description is at most 500 characters (this one has 501)',
      'A4 a product ID is 1 to 64 letters, digits, "_", "-" or "." (not only dots)',
      'A5 a product ID is 1 to 64 letters, digits, "_", "-" or "." (not only dots)',
      'D6 the image URL must be an http(s) URL or a /media/ path of the simulator',
      'A7 the product ID is required',
      'B8 the name is required',
      "F9 column F is outside the template's columns: remove it",
    ])
  })

  it('says how many rows failed in the message, and imports nothing when any row fails', async () => {
    const reply = await refused(await workbook([row('good_one'), row('bad_one', -1), row('good_two')]))
    expect(reply.error.message).toBe('the import was refused: 1 of 3 row(s) have errors (row 3, Price (minor units): the price must be above 0: got -1); nothing was imported')
    expect(itemsOf(GEM).map((i) => i.productId)).not.toContain('good_one')
  })

  it('refuses a file over 5 MiB with the limit', async () => {
    expect((await refused(Buffer.alloc(5 * 1024 * 1024 + 1, 1))).error.message).toBe('the file is larger than the 5 MiB limit')
  })

  it('refuses unknown import options', async () => {
    expect((await refused(await workbook([row('opt')]), XLSX, 'mode=some')).error.message).toMatch(/mode/)
  })
})

describe('importing the valid rows only', () => {
  it('imports the valid rows when asked, and reports the rest', async () => {
    const reply = await importXlsx(developer, GEM, await workbook([row('valid_a'), row('invalid_b', 'ten'), row('valid_c')]), 'mode=validRowsOnly')
    expect(reply.status).toBe(200)
    expect(reply.json.report).toMatchObject({ mode: 'validRowsOnly', rows: 3, added: ['valid_a', 'valid_c'], errors: [{ row: 3, cell: 'C3' }] })
    expect(itemsOf(GEM).filter((i) => i.productId.startsWith('valid_')).map((i) => i.state)).toEqual(['draft', 'draft'])
  })
})

/** A stored (uncompressed size declared truthfully) or deflated zip, built by hand to shape bad uploads. */
function zipOf(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content)
    const packed = deflateRawSync(data)
    const nameBytes = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(packed.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, packed)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
