import type ExcelJS from 'exceljs'
import { csvText } from '../csv'
import { loadExcel } from '../excel'
import type { ItemVersion } from '../store/model'
import { ITEM_LIMITS, PRODUCT_ID_RULE } from './itemRules'

/**
 * The item sheet's format, shared by the template, the export and the import, so an export
 * edited in Excel imports back as it is.
 */
export const ITEM_COLUMNS = [
  { key: 'productId', title: 'Product ID', width: 24, rule: `Required. ${PRODUCT_ID_RULE}; unique in the mini game. It is signData's productId.` },
  { key: 'name', title: 'Name', width: 28, rule: `Required. At most ${ITEM_LIMITS.name} characters. Shown on the payment sheet.` },
  { key: 'price', title: 'Price (minor units)', width: 20, rule: `Required. A whole number above 0, in minor units of the superapp's currency (299 is 2.99), typed as a number, not text; at most ${ITEM_LIMITS.price}.` },
  { key: 'imageUrl', title: 'Image URL', width: 44, rule: 'Optional until release. An http(s) URL, or a /media/ path of the simulator (as exported). Upload files in the console instead.' },
  { key: 'description', title: 'Description', width: 44, rule: `Optional. At most ${ITEM_LIMITS.description} characters.` },
] as const

export type ItemColumnKey = (typeof ITEM_COLUMNS)[number]['key']
export type ItemRow = { productId: string } & ItemVersion

export const ITEM_SHEET = 'Items'
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const CSV_TYPE = 'text/csv'

/** The template's example row. The import skips a row identical to it, so a forgotten example never becomes an item. */
export const EXAMPLE_ROW: ItemRow = {
  productId: 'example_sword',
  name: 'Example Sword',
  price: 299,
  imageUrl: 'https://example.com/images/sword.png',
  description: 'An example: replace this row with your items',
}

/** How many item rows one import takes: teams have dozens to hundreds of items. */
export const MAX_IMPORT_ROWS = 1000

function itemsSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(ITEM_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = ITEM_COLUMNS.map((c) => ({ header: c.title, key: c.key, width: c.width }))
  sheet.getRow(1).font = { bold: true }
  // Text format keeps IDs such as 00123 from turning into the number 123.
  sheet.getColumn(1).numFmt = '@'
  return sheet
}

function rowValues(row: ItemRow): (string | number)[] {
  return ITEM_COLUMNS.map((c) => row[c.key])
}

/** The import template: the header row, one example row and a sheet of rules. */
export async function templateWorkbook(): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook()
  workbook.creator = 'superapp-pay-sim'
  const sheet = itemsSheet(workbook)
  const example = sheet.addRow(rowValues(EXAMPLE_ROW))
  example.font = { italic: true, color: { argb: 'FF808080' } }
  // Excel itself then refuses a text or fractional price while the sheet is being filled in.
  // exceljs has range validations at run time; its typings only know the per-cell form.
  const validations = (sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations
  validations.add(`C2:C${MAX_IMPORT_ROWS + 1}`, {
    type: 'whole',
    operator: 'between',
    formulae: [1, ITEM_LIMITS.price],
    allowBlank: true,
    showErrorMessage: true,
    errorTitle: 'Price',
    error: 'A whole number of minor units above 0 (299 for 2.99).',
  })
  const rules = workbook.addWorksheet('Rules')
  rules.columns = [
    { header: 'Column', key: 'title', width: 22 },
    { header: 'Rule', key: 'rule', width: 110 },
  ]
  rules.getRow(1).font = { bold: true }
  for (const column of ITEM_COLUMNS) rules.addRow({ title: column.title, rule: column.rule })
  rules.addRow({})
  rules.addRow({ title: 'Rows', rule: `At most ${MAX_IMPORT_ROWS} item rows per file, one item per row, each product ID once. No formulas: type the values.` })
  rules.addRow({ title: 'Example', rule: `The grey example row (${EXAMPLE_ROW.productId}) is skipped on import while it is left unchanged.` })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Items as an .xlsx in the template's format. */
export async function itemsWorkbook(rows: readonly ItemRow[]): Promise<Buffer> {
  const workbook = new (await loadExcel()).Workbook()
  workbook.creator = 'superapp-pay-sim'
  const sheet = itemsSheet(workbook)
  for (const row of rows) sheet.addRow(rowValues(row))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Items as CSV in the template's columns, written by the project's one CSV writer (csv.ts). */
export function itemsCsv(rows: readonly ItemRow[]): string {
  return csvText(
    ITEM_COLUMNS.map((c) => c.title),
    rows.map(rowValues),
  )
}
