import type { Response } from 'express'
import type ExcelJS from 'exceljs'
import { loadExcel } from '../excel'
import { stringify } from 'csv-stringify'

/**
 * Streams rows as CSV (csv-stringify) or .xlsx (exceljs's streaming WorkbookWriter): rows
 * are written as they are produced, so a large export never sits whole in memory.
 * Why libraries: quoting, formulas-as-text and the xlsx zip format are solved problems.
 */
export async function streamExport<Row extends Record<string, unknown>>(
  res: Response,
  format: 'csv' | 'xlsx',
  name: string,
  columns: readonly (keyof Row & string)[],
  rows: Iterable<Row>,
): Promise<void> {
  res.setHeader('content-disposition', `attachment; filename="${name}.${format}"`)
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8')
    // A leading BOM makes Excel read the file as UTF-8.
    res.write('\ufeff')
    const csv = stringify({ header: true, columns: [...columns], cast: { boolean: (v) => (v ? 'true' : 'false') } })
    csv.pipe(res)
    for (const row of rows) {
      // Cells that a spreadsheet would run as a formula are written as text.
      if (!csv.write(columns.map((c) => defuse(row[c])))) await new Promise((resolve) => csv.once('drain', resolve))
    }
    csv.end()
    await new Promise((resolve) => res.once('finish', resolve))
    return
  }
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: res, useStyles: false, useSharedStrings: false })
  const sheet = workbook.addWorksheet(name)
  sheet.columns = columns.map((key) => ({ header: key, key, width: 20 }))
  for (const row of rows) sheet.addRow(columns.map((c) => row[c] as ExcelJS.CellValue)).commit()
  sheet.commit()
  await workbook.commit()
}

function defuse(value: unknown): unknown {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
