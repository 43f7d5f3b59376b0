import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseCsv } from 'csv-parse/sync'
import { restoreCsvCell } from '../csv'
import { emptyState, type MiniGame } from '../store/model'
import { ITEM_LIMITS } from './itemRules'
import { planImport, readItemSheet } from './itemImport'
import { ITEM_COLUMNS, itemsCsv, itemsWorkbook, type ItemRow } from './spreadsheet'

const game = { appId: 'mg_test', name: 'Test Game' } as MiniGame
const options = { mode: 'all', existing: 'refuse' } as const

/**
 * Text a person might type: any characters, including quotes, commas, line breaks, apostrophes
 * and formula starts, trimmed. No lone CR: an .xlsx holds one as LF (exceljs writes it raw
 * and XML reads it as a line end), which the CSV tests' formula cases do not need.
 */
const text = (max: number, min = 0) =>
  fc
    .string({ unit: fc.oneof(fc.constantFrom('"', ',', '\n', '=', '+', '-', '@', "'", '\t', ' ', 'é', '😀', '\uFF1D'), fc.string({ minLength: 1, maxLength: 1 })), minLength: min, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length >= min && s.length <= max)

const itemRow: fc.Arbitrary<ItemRow> = fc.record({
  productId: fc.stringMatching(/^[A-Za-z0-9_\-.]{1,64}$/).filter((id) => !/^\.+$/.test(id)),
  name: text(ITEM_LIMITS.name, 1),
  price: fc.integer({ min: 1, max: ITEM_LIMITS.price }),
  imageUrl: fc.constantFrom('', 'https://cdn.example.com/a.png', '/media/uploads/0123456789abcdef0123456789abcdef.png'),
  description: text(ITEM_LIMITS.description),
})
const itemRows = fc.uniqueArray(itemRow, { selector: (row) => row.productId, minLength: 1, maxLength: 8 })

describe('the item sheet format', () => {
  it('imports back exactly the items it exported (.xlsx), whatever their text', async () => {
    await fc.assert(
      fc.asyncProperty(itemRows, async (rows) => {
        const { rows: read } = await readItemSheet(await itemsWorkbook(rows), options)
        const plan = planImport(emptyState(), game, read, options)
        expect(plan.errors).toEqual([])
        expect(plan.add).toEqual(rows)
      }),
      { numRuns: 60 },
    )
  })

  it('imports back exactly the items it exported (CSV), whatever their text', async () => {
    await fc.assert(
      fc.asyncProperty(itemRows, async (rows) => {
        const { rows: read } = await readItemSheet(Buffer.from(itemsCsv(rows)), options, 'csv')
        const plan = planImport(emptyState(), game, read, options)
        expect(plan.errors).toEqual([])
        expect(plan.add).toEqual(rows)
      }),
      { numRuns: 200 },
    )
  })

  it('writes CSV that a CSV reader splits into the same cells, formula-like text behind one apostrophe', () => {
    fc.assert(
      fc.property(itemRows, (rows) => {
        const [header, ...cells] = parseCsv(itemsCsv(rows), { bom: true, relax_column_count: true }) as string[][]
        expect(header).toEqual(ITEM_COLUMNS.map((c) => c.title))
        expect(cells.map((row) => row.map(restoreCsvCell))).toEqual(rows.map((row) => ITEM_COLUMNS.map((c) => String(row[c.key]))))
        for (const cell of cells.flat()) expect(cell).not.toMatch(/^\s*[=+\-@]|^[\t\r]/)
      }),
    )
  })
})
