import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse as parseCsv } from 'csv-parse/sync'
import { csvText, neutraliseCsvCell, restoreCsvCell } from './csv'

describe('the CSV cell rule', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['-2+3+cmd', "'-2+3+cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    [' =1+1', "' =1+1"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ["'=1", "''=1"],
    ["'-5", "''-5"],
  ])('writes %j a spreadsheet would run with a leading apostrophe', (text, written) => {
    expect(neutraliseCsvCell(text)).toBe(written)
    expect(restoreCsvCell(written)).toBe(text)
  })

  it.each(['Golden Sword', "'Tis the season", "it's", '1+1=2', 'a-b', '', "'", "''"])('leaves %j alone, and reads it back as it is', (text) => {
    expect(neutraliseCsvCell(text)).toBe(text)
    expect(restoreCsvCell(text)).toBe(text)
  })

  it('reads back any text it wrote, and never writes a cell that starts a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom("'", '=', '+', '-', '@', ' ', '\t', '\r', '\uFF20'), fc.string({ minLength: 1, maxLength: 1 })) }), (text) => {
        const written = neutraliseCsvCell(text)
        expect(restoreCsvCell(written)).toBe(text)
        expect(written).not.toMatch(/^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/)
      }),
      { numRuns: 2000 },
    )
  })

  it('writes numbers as they are, negative ones too', () => {
    const [, row] = parseCsv(csvText(['n', 's'], [[-5, '-5']]), { bom: true }) as string[][]
    expect(row).toEqual(['-5', "'-5"])
  })

  it('writes a byte order mark, CRLF and the header even with no rows', () => {
    expect(csvText(['a', 'b'], [])).toBe('\uFEFFa,b\r\n')
    expect(csvText(['a'], [['x']])).toBe('\uFEFFa\r\nx\r\n')
  })
})
