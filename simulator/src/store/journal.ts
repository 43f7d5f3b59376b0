import { open, readFile, rename, truncate, writeFile, type FileHandle } from 'node:fs/promises'

/**
 * An append-only file of JSON lines, `{"c": collection, "r": record}`: the later line for a
 * key wins. Appending costs the size of what changed, not of the history. A crash can
 * leave at most a torn last line: it is dropped (and cut from the file) on open.
 * Compaction rewrites the live records to a temp file and renames it over the journal.
 */
export class Journal {
  private handle?: FileHandle
  private lines = 0

  constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {}

  /** Reads every complete line; returns the records per collection, in order. */
  async replay(): Promise<Map<string, unknown[]>> {
    const byCollection = new Map<string, unknown[]>()
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return byCollection
      throw error
    }
    const complete = text.lastIndexOf('\n') + 1
    if (complete < text.length) await truncate(this.path, Buffer.byteLength(text.slice(0, complete)))
    for (const line of text.slice(0, complete).split('\n')) {
      if (!line) continue
      let entry: { c?: string; r?: unknown }
      try {
        entry = JSON.parse(line)
      } catch {
        throw new Error(`the journal ${this.path} has a damaged line (line ${this.lines + 1}); restore it from a backup or delete the data folder`)
      }
      if (typeof entry.c !== 'string' || entry.r === undefined) continue
      let list = byCollection.get(entry.c)
      if (!list) byCollection.set(entry.c, (list = []))
      list.push(entry.r)
      this.lines++
    }
    return byCollection
  }

  get lineCount(): number {
    return this.lines
  }

  async append(entries: { collection: string; record: unknown }[]): Promise<void> {
    if (entries.length === 0) return
    this.handle ??= await open(this.path, 'a')
    const text = entries.map((e) => JSON.stringify({ c: e.collection, r: e.record })).join('\n') + '\n'
    await this.handle.appendFile(text, 'utf8')
    if (this.fsync) await this.handle.datasync()
    this.lines += entries.length
  }

  /** Replaces the journal with one line per live record. */
  async compact(entries: { collection: string; record: unknown }[]): Promise<void> {
    await this.close()
    const temp = `${this.path}.${process.pid}.tmp`
    const text = entries.map((e) => JSON.stringify({ c: e.collection, r: e.record }) + '\n').join('')
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile(text, 'utf8')
      if (this.fsync) await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, this.path)
    this.lines = entries.length
  }

  async close(): Promise<void> {
    await this.handle?.close()
    this.handle = undefined
  }
}

/**
 * A lowdb adapter that writes JSON atomically: a temp file in the same folder, then a
 * rename over the target, so a crash leaves the old file or the new one, never half of one.
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
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  /** True when `data` differs from what was last written or read. */
  wouldChange(data: T): boolean {
    return JSON.stringify(data) !== this.lastText
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
