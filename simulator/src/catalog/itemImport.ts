import { parse as parseCsv } from 'csv-parse/sync'
import type ExcelJS from 'exceljs'
import { restoreCsvCell } from '../csv'
import { loadExcel } from '../excel'
import { z } from 'zod'
import { isoTime, type Clock } from '../clock'
import { SimulatorError } from '../errors'
import type { ItemVersion, MiniGame, SimState } from '../store/model'
import type { Store } from '../store/store'
import { descriptionSchema, imageUrlSchema, nameSchema, priceSchema, productIdSchema } from './itemRules'
import { workingVersionOf } from './itemVersions'
import { EXAMPLE_ROW, ITEM_COLUMNS, ITEM_SHEET, MAX_IMPORT_ROWS, type ItemColumnKey, type ItemRow } from './spreadsheet'
import { inspectXlsx } from './xlsxGuard'
import { errorMessage } from '@superapp-sim/game-sdk'

/** One thing wrong with the file (no row) or with a row (and, when known, its column). */
export interface ImportProblem {
  /** The sheet's row number, as Excel shows it (the header is row 1). */
  row?: number
  /** The column's header, e.g. "Price (minor units)". */
  column?: string
  /** The cell's address, e.g. "C4". */
  cell?: string
  message: string
}

export interface ImportOptions {
  mode: 'all' | 'validRowsOnly'
  existing: 'refuse' | 'update'
}

export interface ImportReport extends ImportOptions {
  /** Item rows read from the sheet (empty rows and the example row not counted). */
  rows: number
  added: string[]
  updated: string[]
  /** Rows identical to the stored item (existing=update). */
  unchanged: string[]
  skipped: { row: number; reason: string }[]
  errors: ImportProblem[]
}

/** Raised when an import is refused: nothing was imported; the report says which rows and columns to fix. */
export class ItemImportRefused extends SimulatorError {
  constructor(
    message: string,
    readonly report: ImportReport,
  ) {
    super('VALIDATION_FAILED', message)
  }

  override toBody() {
    return { ...super.toBody(), report: this.report }
  }
}

interface SheetRow {
  row: number
  values: ExcelJS.CellValue[]
}

const emptyReport = (options: ImportOptions): ImportReport => ({ ...options, rows: 0, added: [], updated: [], unchanged: [], skipped: [], errors: [] })

function refuseFile(options: ImportOptions, message: string): never {
  throw new ItemImportRefused(`the import was refused: ${message}; nothing was imported`, { ...emptyReport(options), errors: [{ message }] })
}

const columnLetter = (index: number) => String.fromCharCode(65 + index)

/**
 * Imports items from an .xlsx in the template's format, or from the item export's CSV.
 * Every row is checked first; when any row fails nothing is imported (unless options.mode is validRowsOnly, which imports
 * the valid rows and reports the others). A per-file problem (not an .xlsx, wrong header,
 * no rows, too many rows) refuses the whole file.
 */
export async function importItems(store: Store, clock: Clock, game: MiniGame, body: Buffer, options: ImportOptions, format: ItemSheetFormat = 'xlsx'): Promise<ImportReport> {
  const { rows, skipped } = await readItemSheet(body, options, format)
  return store.mutate((state) => {
    // Planned inside the mutation so no other change can slip between the checks and the writes.
    const plan = planImport(state, game, rows, options)
    const report: ImportReport = {
      ...emptyReport(options),
      rows: rows.length,
      skipped,
      errors: plan.errors,
      added: plan.add.map((r) => r.productId),
      updated: plan.update.map((r) => r.productId),
      unchanged: plan.unchanged,
    }
    if (plan.errors.length && (options.mode === 'all' || plan.add.length + plan.update.length === 0)) {
      const first = plan.errors[0]!
      const rowsWithErrors = new Set(plan.errors.map((e) => e.row)).size
      const where = [first.row && `row ${first.row}`, first.column].filter(Boolean).join(', ')
      throw new ItemImportRefused(
        `the import was refused: ${rowsWithErrors} of ${rows.length} row(s) have errors (${where}: ${first.message}${plan.errors.length > 1 ? `; ${plan.errors.length - 1} more in the report` : ''}); nothing was imported`,
        { ...report, added: [], updated: [], unchanged: [] },
      )
    }
    const now = isoTime(clock)
    for (const { productId, ...version } of plan.add) {
      state.items.push({ appId: game.appId, productId, ...version, state: 'draft', createdAt: now, updatedAt: now })
    }
    for (const { productId, ...version } of plan.update) {
      const item = state.items.find((i) => i.appId === game.appId && i.productId === productId)!
      Object.assign(item, version, { updatedAt: now })
    }
    return report
  })
}

/** The two file formats the import reads: the template's .xlsx and the item export's CSV. */
export type ItemSheetFormat = 'xlsx' | 'csv'

/** Reads the item rows of an upload, or refuses the file with a per-file problem. */
export async function readItemSheet(body: Buffer, options: ImportOptions, format: ItemSheetFormat = 'xlsx'): Promise<{ rows: SheetRow[]; skipped: { row: number; reason: string }[] }> {
  if (body.length === 0) refuseFile(options, 'the file is empty')
  const grid = format === 'csv' ? readCsvGrid(body, options) : await readXlsxGrid(body, options)
  const [header, ...below] = grid
  if (!header) refuseFile(options, 'the workbook is empty: start from the template (GET …/items/template)')

  const titles = Array.from({ length: Math.max(header.values.length, ITEM_COLUMNS.length) }, (_, i) => textOf(header.values[i] ?? null).trim())
  while (titles.length > ITEM_COLUMNS.length && !titles.at(-1)) titles.pop()
  const expected = ITEM_COLUMNS.map((c) => c.title)
  // Any case and surrounding spaces; nothing else, so a shifted or renamed column cannot import into the wrong field.
  const headerMatches = titles.length === expected.length && expected.every((title, i) => titles[i]!.toLowerCase() === title.toLowerCase())
  if (!headerMatches) {
    refuseFile(options, `row 1 must be the template's header "${expected.join(' | ')}", found "${titles.filter(Boolean).join(' | ') || 'an empty row'}"`)
  }

  const rows: SheetRow[] = []
  const skipped: { row: number; reason: string }[] = []
  for (const { row, values: cells } of below) {
    const values = Array.from({ length: Math.max(cells.length, ITEM_COLUMNS.length) }, (_, i) => cells[i] ?? null)
    if (values.every(isBlank)) continue
    if (isExampleRow(values)) skipped.push({ row, reason: "the template's example row" })
    else rows.push({ row, values })
  }
  if (rows.length === 0) refuseFile(options, skipped.length ? "the sheet has only the template's example row: add your items below the header" : 'the sheet has no item rows below the header')
  if (rows.length > MAX_IMPORT_ROWS) {
    refuseFile(options, `the sheet has ${rows.length.toLocaleString('en-US')} item rows: at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} per import; split the file`)
  }
  return { rows, skipped }
}

/** The non-empty rows of the item sheet (or the first sheet), header first, with Excel's row numbers. */
async function readXlsxGrid(body: Buffer, options: ImportOptions): Promise<SheetRow[]> {
  const zip = inspectXlsx(body)
  if (!zip.ok) refuseFile(options, zip.message)
  const workbook = new (await loadExcel()).Workbook()
  try {
    // exceljs types its input as an ArrayBuffer; hand it exactly the upload's bytes.
    await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer)
  } catch {
    refuseFile(options, 'the file could not be read as an .xlsx workbook (it may be damaged): save it again from Excel')
  }
  const sheet = workbook.getWorksheet(ITEM_SHEET) ?? workbook.worksheets[0]
  if (!sheet || sheet.actualRowCount === 0) return []
  const grid: SheetRow[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    grid.push({ row: rowNumber, values: Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).value) })
  })
  return grid.length && grid[0]!.row === 1 ? grid : [{ row: 1, values: [] }, ...grid]
}

/**
 * The records of a CSV, numbered as a spreadsheet shows them. Cells are text except a price
 * written as a number; the apostrophe the export puts before formula-like text comes off
 * again (restoreCsvCell), so an export imports back to the same values.
 */
function readCsvGrid(body: Buffer, options: ImportOptions): SheetRow[] {
  let records: string[][]
  try {
    records = parseCsv(body, { bom: true, relax_column_count: true, skip_empty_lines: false })
  } catch (error) {
    refuseFile(options, `the file could not be read as CSV (${errorMessage(error)}): export it again, or save the sheet as CSV UTF-8 or .xlsx`)
  }
  const priceIndex = ITEM_COLUMNS.findIndex((c) => c.key === 'price')
  return records.map((cells, index) => ({
    row: index + 1,
    values: cells.map((cell, column): ExcelJS.CellValue => {
      if (cell === '') return null
      const text = restoreCsvCell(cell)
      return column === priceIndex && index > 0 && /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text
    }),
  }))
}

interface ImportPlan {
  add: ItemRow[]
  update: ItemRow[]
  unchanged: string[]
  errors: ImportProblem[]
}

/** Checks every row against the field rules, the file itself and the stored items. Pure. */
export function planImport(state: Readonly<SimState>, game: MiniGame, rows: readonly SheetRow[], options: ImportOptions): ImportPlan {
  const plan: ImportPlan = { add: [], update: [], unchanged: [], errors: [] }
  const firstRowOf = new Map<string, number>()
  for (const { row, values } of rows) {
    const problems: ImportProblem[] = []
    const parsed = parseRow(row, values, problems)
    if (parsed) {
      const earlier = firstRowOf.get(parsed.productId)
      const stored = state.items.find((i) => i.appId === game.appId && i.productId === parsed.productId)
      const idProblem = (message: string) => problems.push({ row, column: ITEM_COLUMNS[0].title, cell: `A${row}`, message })
      if (earlier !== undefined) idProblem(`${parsed.productId} already appears in row ${earlier}: list each product ID once`)
      else if (stored && options.existing === 'refuse') {
        idProblem(`${parsed.productId} already exists in ${game.name}: product IDs are unique per mini game (import with "update existing items" to change it)`)
      } else if (stored?.state === 'pending_release') {
        idProblem(`${parsed.productId} has a release request pending with the superapp: wait for its decision before changing it`)
      }
      if (earlier === undefined) firstRowOf.set(parsed.productId, row)
      if (problems.length === 0) {
        if (!stored) plan.add.push(parsed)
        else if (sameVersion(workingVersionOf(stored), parsed)) plan.unchanged.push(parsed.productId)
        else plan.update.push(parsed)
      }
    }
    plan.errors.push(...problems)
  }
  return plan
}

function sameVersion(a: ItemVersion, b: ItemVersion): boolean {
  return a.name === b.name && a.price === b.price && a.imageUrl === b.imageUrl && a.description === b.description
}

const FIELD_SCHEMAS: Record<ItemColumnKey, z.ZodType> = {
  productId: productIdSchema,
  name: nameSchema,
  price: priceSchema,
  imageUrl: imageUrlSchema,
  description: descriptionSchema,
}

/** One row's cells to an item, or undefined with its problems (one per failing cell). */
function parseRow(row: number, values: readonly ExcelJS.CellValue[], problems: ImportProblem[]): ItemRow | undefined {
  const parsed: Partial<Record<ItemColumnKey, string | number>> = {}
  for (const [index, column] of ITEM_COLUMNS.entries()) {
    const problem = (message: string) => problems.push({ row, column: column.title, cell: `${columnLetter(index)}${row}`, message })
    const cell = readCell(values[index])
    if (cell.kind === 'bad') {
      problem(cell.message)
      continue
    }
    let value: string | number
    if (column.key === 'price') {
      if (cell.kind === 'empty') {
        problem('the price is required')
        continue
      }
      if (cell.kind === 'text') {
        problem(`the price is text ("${clip(cell.text)}"): type it as a number, in minor units (299 for 2.99)`)
        continue
      }
      value = cell.value
    } else {
      if (cell.kind === 'empty' && column.key === 'productId') {
        problem('the product ID is required')
        continue
      }
      value = cell.kind === 'number' ? String(cell.value) : cell.kind === 'text' ? cell.text : ''
    }
    const result = FIELD_SCHEMAS[column.key].safeParse(value)
    if (!result.success) {
      const issue = result.error.issues[0]!
      const length = typeof value === 'string' && issue.code === 'too_big' ? ` (this one has ${value.trim().length})` : ''
      problem(`${issue.message}${length}${column.key === 'price' ? `: got ${value}` : ''}`)
      continue
    }
    parsed[column.key] = result.data as string | number
  }
  values.slice(ITEM_COLUMNS.length).forEach((value, offset) => {
    if (!isBlank(value)) {
      const index = ITEM_COLUMNS.length + offset
      problems.push({ row, cell: `${columnLetter(index)}${row}`, message: `column ${columnLetter(index)} is outside the template's columns: remove it` })
    }
  })
  if (problems.length || Object.keys(parsed).length !== ITEM_COLUMNS.length) return undefined
  return parsed as ItemRow
}

type Cell = { kind: 'empty' } | { kind: 'text'; text: string } | { kind: 'number'; value: number } | { kind: 'bad'; message: string }

/** What a cell holds, as the import understands it; formulas, dates, booleans and errors are refused. */
function readCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { kind: 'empty' }
  if (typeof value === 'number') return { kind: 'number', value }
  if (typeof value === 'string') return value.trim() ? { kind: 'text', text: value } : { kind: 'empty' }
  if (typeof value === 'boolean') return { kind: 'bad', message: `${value ? 'TRUE' : 'FALSE'} is not a valid value here` }
  if (value instanceof Date) return { kind: 'bad', message: 'the cell holds a date: type the value as text or a number' }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = 'formula' in value && value.formula ? value.formula : 'sharedFormula' in value ? value.sharedFormula : ''
    return { kind: 'bad', message: `the cell holds a formula (=${clip(formula)}): formulas are not imported; paste the value itself` }
  }
  if ('error' in value) return { kind: 'bad', message: `the cell holds the error ${value.error}` }
  const text = textOf(value)
  return text.trim() ? { kind: 'text', text } : { kind: 'empty' }
}

/** Plain text of a string, rich text or hyperlink cell. */
function textOf(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return value.toISOString()
  if ('richText' in value) return value.richText.map((part) => part.text).join('')
  if ('hyperlink' in value) return value.text || value.hyperlink
  return ''
}

function isBlank(value: ExcelJS.CellValue): boolean {
  return readCell(value).kind === 'empty'
}

function isExampleRow(values: readonly ExcelJS.CellValue[]): boolean {
  return ITEM_COLUMNS.every((column, index) => textOf(values[index]).trim() === String(EXAMPLE_ROW[column.key])) && values.slice(ITEM_COLUMNS.length).every(isBlank)
}

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
