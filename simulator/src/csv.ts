import { stringify, type Options, type Stringifier } from 'csv-stringify'
import { stringify as stringifySync } from 'csv-stringify/sync'

/**
 * The one CSV writer of the project (item, order and refund exports) and the rule its cells
 * follow, with the exact inverse the item import applies.
 *
 * A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` (and, after
 * a tab or carriage return, what follows) as a formula: `=HYPERLINK(…)` leaks data,
 * `+cmd|…` runs a program. OWASP's rule (https://owasp.org/www-community/attacks/CSV_Injection):
 * prefix such a cell with `'`, which makes it text. Two additions, so that the import can
 * take exactly that apostrophe off again and nothing a user typed:
 * - leading spaces are looked through (" =1+1" is neutralised too: spreadsheets that trim
 *   on import would run it), as are the full-width forms Apple Numbers folds into `= + - @`
 *   (the list csv-stringify's own `escape_formulas` uses);
 * - text that already starts with apostrophes before such a character gets one more, so
 *   `'=x` typed by a user is written `''=x` and read back as `'=x`.
 * Numbers are never prefixed: a number cell cannot hold a formula.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** True when a spreadsheet could run the text as a formula once its leading apostrophes are gone. */
function needsNeutralising(text: string): boolean {
  const afterApostrophes = text.replace(/^'+/, '')
  return FORMULA_START.test(afterApostrophes) || FORMULA_START.test(afterApostrophes.trimStart())
}

/** A cell's text as the exports write it: with a leading `'` when a spreadsheet could run it as a formula. */
export function neutraliseCsvCell(text: string): string {
  return needsNeutralising(text) ? `'${text}` : text
}

/** The exact inverse of {@link neutraliseCsvCell}: takes off the apostrophe it added, and nothing else. */
export function restoreCsvCell(text: string): string {
  return text.startsWith("'") && needsNeutralising(text.slice(1)) ? text.slice(1) : text
}

/**
 * RFC 4180 as Excel reads it: CRLF, fields quoted when needed (csv-stringify), a byte order
 * mark so Excel takes the file as UTF-8, and every string cell neutralised.
 */
const CSV_OPTIONS = {
  bom: true,
  record_delimiter: 'windows',
  header: true,
  cast: { string: neutraliseCsvCell, boolean: (value: boolean) => (value ? 'true' : 'false') },
} as const satisfies Options

/** A CSV stream with the given header titles; write rows as arrays in the same order. */
export function csvStream(header: readonly string[]): Stringifier {
  return stringify({ ...CSV_OPTIONS, columns: [...header] })
}

/** A whole CSV document with the given header titles and rows (arrays in the same order). */
export function csvText(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringifySync(rows.map((row) => [...row]), { ...CSV_OPTIONS, columns: [...header] })
}
