import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv'

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, after a byte order mark', () => {
    const text = '\uFEFFProduct ID,Name\r\nsword,"Sword, ""Golden"""\r\nnote,"two\nlines"\r\n'
    expect(parseCsv(text)).toEqual([
      ['Product ID', 'Name'],
      ['sword', 'Sword, "Golden"'],
      ['note', 'two\nlines'],
    ])
  })

  it('keeps empty fields and reads a last line without a line break', () => {
    expect(parseCsv('a,,c\nd,e,')).toEqual([
      ['a', '', 'c'],
      ['d', 'e', ''],
    ])
  })

  it('refuses a file that ends inside a quoted field', () => {
    expect(() => parseCsv('a,"unfinished')).toThrow(/quoted field/)
  })
})
