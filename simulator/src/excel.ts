import type ExcelJS from 'exceljs'

let loading: Promise<typeof ExcelJS> | undefined

/**
 * exceljs, loaded on first use: it takes about 0.4 s to load here, and most runs of the
 * simulator (QA in CI) never touch a spreadsheet, so start-up does not pay for it.
 */
export function loadExcel(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((module) => module.default)
  return loading
}
