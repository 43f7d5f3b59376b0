import type { Response } from 'express'
import type ExcelJS from 'exceljs'
import { csvStream } from '../csv'
import { loadExcel } from '../excel'

/**
 * Streams rows as CSV (the project's one CSV writer, csv.ts) or .xlsx (exceljs's streaming
 * WorkbookWriter): rows are written as they are produced, so a large export never sits
 * whole in memory. Why libraries: quoting and the xlsx zip format are solved problems.
 * The .xlsx needs no neutralising: exceljs writes a string as a string cell, never a formula.
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
    const csv = csvStream(columns)
    csv.pipe(res)
    for (const row of rows) {
      if (!csv.write(columns.map((c) => row[c]))) await new Promise((resolve) => csv.once('drain', resolve))
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
