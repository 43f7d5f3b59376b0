import { open, readFile, rename, truncate, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import type { RecordPatch } from './collection'
import { STATE_VERSION } from './schema'
import { storedDataError } from './storedData'

/** One line of the journal: a table's whole record, or a patch of the record with that key. */
export type JournalEntry = { table: string; record: unknown } | { table: string; key: string; patch: RecordPatch }

interface JournalContent {
  /** False when there was no journal file. */
  exists: boolean
  /** The layout version: 1 for a journal written before versions existed (no header line). */
  version: number
  /** The snapshot generation this journal continues (0: none, the journal holds everything). */
  generation: number
  /** The entries, each with its line number for error messages. */
  entries: { entry: JournalEntry; line: number }[]
}

const headerSchema = z.object({ journal: z.object({ version: z.number().int().positive(), generation: z.number().int().nonnegative() }) })
const patchSchema = z.object({
  set: z.record(z.string(), z.unknown()).optional(),
  unset: z.array(z.string()).optional(),
  append: z.record(z.string(), z.array(z.unknown())).optional(),
})
const lineSchema = z.union([z.object({ c: z.string(), r: z.record(z.string(), z.unknown()) }), z.object({ c: z.string(), k: z.string(), p: patchSchema })])

/**
 * An append-only file of JSON lines: the changes since the last snapshot, in order. The
 * first line says which snapshot it continues, `{"journal":{"version":2,"generation":G}}`;
 * then `{"c": table, "r": record}` (the whole record; the later line for a key wins) or
 * `{"c": table, "k": key, "p": patch}` (some fields of it: a delivery attempt is journalled
 * as itself, not as its notification with every earlier attempt). Appending costs the size
 * of what changed, not of the history. A crash can leave at most a torn last line: it is
 * dropped (and cut from the file) on open. A checkpoint replaces the journal with an empty
 * one of the next generation (temp file + rename).
 */
export class Journal {
  private handle?: Awaited<ReturnType<typeof open>>
  private lines = 0

  constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {}

  private get name(): string {
    return this.path.split(/[\\/]/).at(-1)!
  }

  /** Reads the journal; a missing one is empty, of the current version and generation 0. */
  async read(): Promise<JournalContent> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, version: STATE_VERSION, generation: 0, entries: [] }
      throw error
    }
    const complete = text.lastIndexOf('\n') + 1
    if (complete < text.length) await truncate(this.path, Buffer.byteLength(text.slice(0, complete)))
    const lines = text.slice(0, complete).split('\n')
    lines.pop()
    let version = 1
    let generation = 0
    const entries: JournalContent['entries'] = []
    lines.forEach((line, i) => {
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        throw storedDataError(`${this.name} line ${i + 1} is not JSON`)
      }
      if (i === 0) {
        const header = headerSchema.safeParse(value)
        if (header.success) {
          ;({ version, generation } = header.data.journal)
          return
        }
      }
      const parsed = lineSchema.safeParse(value)
      if (!parsed.success) throw storedDataError(`${this.name} line ${i + 1} is neither a record nor a patch of one`)
      const entry = parsed.data
      entries.push({ entry: 'r' in entry ? { table: entry.c, record: entry.r } : { table: entry.c, key: entry.k, patch: entry.p }, line: i + 1 })
    })
    if (version > STATE_VERSION) throw storedDataError(`${this.name} was written by a newer superapp-sim (state version ${version}; this one reads up to ${STATE_VERSION}): update superapp-sim`)
    this.lines = entries.length
    return { exists: true, version, generation, entries }
  }

  /** Entries appended since the last checkpoint. */
  get lineCount(): number {
    return this.lines
  }

  async append(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return
    this.handle ??= await open(this.path, 'a')
    const text = entries.map((e) => JSON.stringify('record' in e ? { c: e.table, r: e.record } : { c: e.table, k: e.key, p: e.patch })).join('\n') + '\n'
    await this.handle.appendFile(text, 'utf8')
    if (this.fsync) await this.handle.datasync()
    this.lines += entries.length
  }

  /** Replaces the journal with an empty one that continues snapshot `generation`. */
  async reset(generation: number): Promise<void> {
    await this.close()
    const temp = `${this.path}.${process.pid}.tmp`
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile(`${JSON.stringify({ journal: { version: STATE_VERSION, generation } })}\n`, 'utf8')
      if (this.fsync) await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, this.path)
    this.lines = 0
  }

  async close(): Promise<void> {
    await this.handle?.close()
    this.handle = undefined
  }
}

/**
 * A lowdb adapter that writes JSON atomically: a temp file in the same folder, then a
 * rename over the target, so a crash leaves the old file or the new one, never half of one.
 * What it reads is checked by the store (schema.ts), not here.
 */
export class AtomicJsonFile<T> {
  private lastText?: string

  constructor(
    private readonly path: string,
    private readonly fsync: boolean,
  ) {}

  get filePath(): string {
    return this.path
  }

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw storedDataError(`${this.path.split(/[\\/]/).at(-1)} is not JSON`)
    }
  }

  /** Writes unless the content is what was last written: most table writes leave it as it was. */
  async write(data: T): Promise<void> {
    const text = JSON.stringify(data)
    if (text === this.lastText) return
    await this.writeText(text)
    this.lastText = text
  }

  private async writeText(text: string): Promise<void> {
    const temp = `${this.path}.${process.pid}.tmp`
    if (this.fsync) {
      const handle = await open(temp, 'w')
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
    } else {
      await writeFile(temp, text, 'utf8')
    }
    await rename(temp, this.path)
  }
}
