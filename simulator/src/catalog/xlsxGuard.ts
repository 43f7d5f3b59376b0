/**
 * A look at an upload's zip directory before exceljs unpacks it: an .xlsx is a zip holding
 * xl/workbook.xml. This tells "not an .xlsx" apart from "a broken sheet" with a clear
 * message, and refuses a small file that would unpack to an enormous one (a zip bomb)
 * before any of it is inflated. Sizes are the ones the directory declares.
 */

/** Far above what 1,000 item rows unpack to (about 0.5 MiB). */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024
const MAX_ENTRIES = 10_000

const LOCAL_FILE = 0x04034b50
const CENTRAL_ENTRY = 0x02014b50
const END_OF_DIRECTORY = 0x06054b50

export type XlsxCheck = { ok: true } | { ok: false; message: string }

export function inspectXlsx(bytes: Buffer): XlsxCheck {
  const notXlsx = (why: string): XlsxCheck => ({ ok: false, message: `the file is not an .xlsx workbook (${why}): save it from Excel as "Excel Workbook (.xlsx)"` })
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== LOCAL_FILE) {
    const looksLikeOldExcel = bytes.length >= 8 && bytes.readUInt32BE(0) === 0xd0cf11e0
    return notXlsx(looksLikeOldExcel ? 'it is an old .xls file' : 'it is not a zip archive')
  }
  // The end-of-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  let end = -1
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at
      break
    }
  }
  if (end < 0) return notXlsx('the zip archive is truncated')
  const entries = bytes.readUInt16LE(end + 10)
  let at = bytes.readUInt32LE(end + 16)
  if (entries > MAX_ENTRIES) return notXlsx(`it holds ${entries} files`)
  let unpacked = 0
  let hasWorkbook = false
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_ENTRY) return notXlsx('the zip directory is damaged')
    const size = bytes.readUInt32LE(at + 24)
    const nameLength = bytes.readUInt16LE(at + 28)
    const extraLength = bytes.readUInt16LE(at + 30)
    const commentLength = bytes.readUInt16LE(at + 32)
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength)
    // 0xffffffff marks a ZIP64 size: far beyond any item sheet.
    unpacked += size === 0xffffffff ? Infinity : size
    if (name === 'xl/workbook.xml') hasWorkbook = true
    at += 46 + nameLength + extraLength + commentLength
  }
  if (unpacked > MAX_UNPACKED_BYTES) {
    return { ok: false, message: `the workbook unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB: an item sheet is far smaller; is something else in it?` }
  }
  if (!hasWorkbook) return notXlsx('a zip archive without a workbook, such as a .docx or a .zip')
  return { ok: true }
}
