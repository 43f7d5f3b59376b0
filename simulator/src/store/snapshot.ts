import { readSync } from 'node:fs'
import { open, rename, type FileHandle } from 'node:fs/promises'
import { z } from 'zod'
import type { LazyRows, SnapshotRow } from './collection'
import { STATE_VERSION } from './schema'
import { storedDataError } from './storedData'

/**
 * The tables' snapshot, `tables.snapshot`: every live record as of a checkpoint, laid out
 * so that opening it parses almost nothing (docs/decisions/005-store.md).
 *
 * One header line of JSON, then a body of sections the header locates by byte range:
 * per table, its keys, one column per field its indexes read, each row's byte length, and
 * the rows (one record's JSON per line). Opening reads the file and the header; a table's
 * keys, lengths and columns are parsed when first needed, and each row when its record is
 * first used. A row never parsed is copied into the next snapshot as it is.
 *
 * Written to a temp file and renamed over the old one: a crash leaves the old snapshot or
 * the new one, never half of one. `generation` ties it to the journal that continues it.
 */

const FORMAT = 'superapp-sim tables'

/** The counters of the tables' numbers (order, notification, refund), as of the snapshot. */
export type TableCounters = { order: number; notification: number; refund: number }

interface SnapshotContent {
  generation: number
  counters: TableCounters
  tables: Record<string, { rows: SnapshotRow[]; columns: Record<string, unknown[]> }>
}

export interface OpenedSnapshot {
  version: number
  generation: number
  counters: TableCounters
  tables: Map<string, LazyRows>
  /** Closes the file: call it once everything still needed was read (a checkpoint reads it all). */
  close(): Promise<void>
}

const range = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])
const headerSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int().positive(),
  generation: z.number().int().nonnegative(),
  counters: z.object({ order: z.number().int().nonnegative(), notification: z.number().int().nonnegative(), refund: z.number().int().nonnegative() }),
  bodyBytes: z.number().int().nonnegative(),
  tables: z.record(
    z.string(),
    z.object({ count: z.number().int().nonnegative(), keys: range, lengths: range, rows: range, columns: z.record(z.string(), range) }),
  ),
})
/** A column: its values, or (when they repeat, as appIds and statuses do) a dictionary and a code per row. */
type EncodedColumn = { values: unknown[] } | { dictionary: unknown[]; codes: number[] }

const NEWLINE = 0x0a

/**
 * Opens a snapshot; undefined when there is none. Only the header is read now: a table's
 * keys, lengths and columns are read when first needed, and its rows (most of the file)
 * the first time a record is used, all at once. Until `close`, the file stays open for that.
 */
export async function readSnapshot(file: string): Promise<OpenedSnapshot | undefined> {
  let handle: FileHandle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    return await openSnapshot(file, handle)
  } catch (error) {
    await handle.close()
    throw error
  }
}

async function openSnapshot(file: string, handle: FileHandle): Promise<OpenedSnapshot> {
  const name = file.split(/[\\/]/).at(-1)!
  const { size } = await handle.stat()
  let head = Buffer.alloc(0)
  let headerEnd = -1
  // The header is a few hundred bytes; read until its newline.
  while (headerEnd < 0 && head.length < size) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, size - head.length))
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, head.length)
    head = Buffer.concat([head, chunk.subarray(0, bytesRead)])
    headerEnd = head.indexOf(NEWLINE)
  }
  let header: z.infer<typeof headerSchema>
  try {
    header = headerSchema.parse(JSON.parse(head.toString('utf8', 0, headerEnd < 0 ? head.length : headerEnd)))
  } catch {
    throw storedDataError(`${name}: the first line is not a ${FORMAT} header`)
  }
  if (header.version > STATE_VERSION) throw storedDataError(`${name} was written by a newer superapp-sim (state version ${header.version}; this one reads up to ${STATE_VERSION}): update superapp-sim`)
  const bodyStart = headerEnd + 1
  if (size - bodyStart !== header.bodyBytes) throw storedDataError(`${name}: the file holds ${size - bodyStart} bytes after its header, not the ${header.bodyBytes} it announces (cut short?)`)
  for (const [table, sections] of Object.entries(header.tables)) {
    for (const [section, [start, end]] of [...Object.entries(sections.columns), ['keys', sections.keys] as const, ['lengths', sections.lengths] as const, ['rows', sections.rows] as const]) {
      if (start > end || end > header.bodyBytes) throw storedDataError(`${name}: ${table} ${section}: the byte range ${start}-${end} is outside the file`)
    }
  }
  let closed = false
  /** Reads a range of the body now (sections are read on demand, inside synchronous lookups). */
  const readBody = ([start, end]: readonly [number, number]): Buffer => {
    if (closed) throw new Error(`${name} was closed before all of it was read`)
    const bytes = Buffer.allocUnsafe(end - start)
    let done = 0
    while (done < bytes.length) {
      const read = readSync(handle.fd, bytes, done, bytes.length - done, bodyStart + start + done)
      if (read === 0) throw storedDataError(`${name}: cut short at byte ${bodyStart + start + done}`)
      done += read
    }
    return bytes
  }
  const tables = new Map<string, LazyRows>()
  for (const [table, sections] of Object.entries(header.tables)) tables.set(table, lazyRows(name, table, readBody, sections))
  return {
    version: header.version,
    generation: header.generation,
    counters: header.counters,
    tables,
    async close() {
      if (closed) return
      closed = true
      await handle.close()
    },
  }
}

function lazyRows(file: string, table: string, readBody: (range: readonly [number, number]) => Buffer, sections: z.infer<typeof headerSchema>['tables'][string]): LazyRows {
  const { count } = sections
  const where = (section: string) => `${file}: ${table} ${section}`
  const json = (range: readonly [number, number], section: string): unknown => {
    try {
      return JSON.parse(readBody(range).toString('utf8'))
    } catch (error) {
      if (error instanceof SyntaxError) throw storedDataError(`${where(section)}: not JSON`)
      throw error
    }
  }
  /** A list of `count` values that pass `check` (checked by hand: zod over 100,000 values costs more than reading them). */
  const list = <T>(value: unknown, check: (item: unknown) => item is T, section: string, what: string): T[] => {
    if (!Array.isArray(value) || value.length !== count || !value.every(check)) throw storedDataError(`${where(section)}: not ${count} ${what}`)
    return value
  }
  let keys: string[] | undefined
  let rows: { bytes: Buffer; starts: Float64Array } | undefined
  const columns = new Map<string, unknown[]>()
  /** The rows section, read at the first use of a record, and where each row starts in it. */
  const loadRows = () => {
    if (!rows) {
      const lengths = list(json(sections.lengths, 'lengths'), isByteCount, 'lengths', 'byte lengths')
      const starts = new Float64Array(count + 1)
      // Each row is followed by a newline.
      for (let i = 0; i < count; i++) starts[i + 1] = starts[i]! + lengths[i]! + 1
      if (starts[count] !== sections.rows[1] - sections.rows[0]) throw storedDataError(`${where('rows')}: the rows' lengths do not add up to their section`)
      rows = { bytes: readBody(sections.rows), starts }
    }
    return rows
  }
  return {
    count,
    keys() {
      keys ??= list(json(sections.keys, 'keys'), isString, 'keys', 'keys')
      return keys
    },
    column(field) {
      const range = sections.columns[field]
      if (!range) return undefined
      let values = columns.get(field)
      if (!values) {
        const column = json(range, `column ${field}`) as { values?: unknown; dictionary?: unknown; codes?: unknown }
        if (Array.isArray(column?.dictionary)) {
          const dictionary = column.dictionary
          values = list(column.codes, (code): code is number => Number.isInteger(code) && (code as number) >= 0 && (code as number) < dictionary.length, `column ${field}`, 'codes').map((code) => dictionary[code])
        } else values = list(column?.values, (_value): _value is unknown => true, `column ${field}`, 'values')
        columns.set(field, values)
      }
      return values
    },
    record(position) {
      const { bytes, starts } = loadRows()
      try {
        return JSON.parse(bytes.toString('utf8', starts[position], starts[position + 1]! - 1))
      } catch {
        throw storedDataError(`${where(`row ${position + 1}`)}: not JSON`)
      }
    },
    text(position) {
      const { bytes, starts } = loadRows()
      return bytes.subarray(starts[position], starts[position + 1]! - 1)
    },
  }
}

const isString = (value: unknown): value is string => typeof value === 'string'
const isByteCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0

/** Writes a snapshot to a temp file and renames it over `file`. */
export async function writeSnapshot(file: string, content: SnapshotContent, fsync: boolean): Promise<void> {
  const chunks: Uint8Array[] = []
  let offset = 0
  const add = (chunk: Uint8Array): [number, number] => {
    chunks.push(chunk, NEWLINE_BYTES)
    const start = offset
    offset += chunk.length + 1
    return [start, start + chunk.length]
  }
  const tables: z.infer<typeof headerSchema>['tables'] = {}
  for (const [table, { rows, columns }] of Object.entries(content.tables)) {
    const keys = add(Buffer.from(JSON.stringify(rows.map((row) => row.key))))
    const columnRanges: Record<string, [number, number]> = {}
    for (const [field, values] of Object.entries(columns)) columnRanges[field] = add(Buffer.from(JSON.stringify(encodeColumn(values))))
    const texts = rows.map((row) => (typeof row.text === 'string' ? Buffer.from(row.text) : row.text))
    const lengths = add(Buffer.from(JSON.stringify(texts.map((text) => text.length))))
    const rowsStart = offset
    for (const text of texts) add(text)
    tables[table] = { count: rows.length, keys, lengths, rows: [rowsStart, offset], columns: columnRanges }
  }
  const header = { format: FORMAT, version: STATE_VERSION, generation: content.generation, counters: content.counters, bodyBytes: offset, tables }
  const temp = `${file}.${process.pid}.tmp`
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...chunks]))
    if (fsync) await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, file)
}

const NEWLINE_BYTES = Uint8Array.of(NEWLINE)

/** A dictionary when values repeat (statuses, appIds), else the values as they are. */
function encodeColumn(values: unknown[]): EncodedColumn {
  const dictionary: unknown[] = []
  const codeOf = new Map<unknown, number>()
  const codes: number[] = new Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    let code = codeOf.get(value)
    if (code === undefined) {
      code = dictionary.length
      dictionary.push(value)
      codeOf.set(value, code)
      // Mostly distinct values (outTradeNo): a dictionary would only add the codes.
      if (dictionary.length > 64 && dictionary.length > i / 2) return { values }
    }
    codes[i] = code
  }
  return { dictionary, codes }
}
