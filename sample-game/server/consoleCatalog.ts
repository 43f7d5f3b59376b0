import { z } from 'zod'
// csv-parse: RFC 4180 (quotes, doubled quotes, CRLF, BOM) done by a well-kept library.
import { parse as parseCsv } from 'csv-parse/sync'

/** An item on sale, as the host sells it: the released version. */
export interface ReleasedItem {
  productId: string
  name: string
  /** Minor units of the superapp's currency. */
  price: number
  /** Absolute, so the game's page (another origin) can load it; '' for none. */
  imageUrl: string
  description: string
}

export interface CatalogSource {
  /** The released items, or throws when the source cannot be read. */
  fetchReleased(): Promise<ReleasedItem[]>
}

export interface ConsoleExportOptions {
  /** The simulator (the superapp console's origin). */
  consoleUrl: string
  appId: string
  /** A console account of the game's team; read-only is enough (items.view). */
  username: string
  password: string
  fetch?: typeof fetch
}

/** The columns of the console's item template and export. */
const EXPORT_HEADER = ['Product ID', 'Name', 'Price (minor units)', 'Image URL', 'Description']
const sessionSchema = z.object({ token: z.string() })
const priceSchema = z.coerce.number().int().positive()

/**
 * Reads the released catalog from the console's item export (CSV in the template's
 * columns, `version=released`: the versions players buy), logged in as a console account.
 * A real game mirrors this by exporting from the console and shipping the file with its
 * server, or by a script that does what this does; the format is the same either way.
 */
export function consoleExportSource(options: ConsoleExportOptions): CatalogSource {
  const doFetch = options.fetch ?? fetch
  const api = `${options.consoleUrl}/console/api/v1`
  let token: string | undefined

  async function logIn(): Promise<string> {
    const response = await doFetch(`${api}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: options.username, password: options.password }),
    })
    if (!response.ok) throw new Error(`console login as ${options.username} failed with HTTP ${response.status}`)
    return sessionSchema.parse(await response.json()).token
  }

  async function download(): Promise<Response> {
    token ??= await logIn()
    const url = `${api}/minigames/${encodeURIComponent(options.appId)}/items/export?format=csv&version=released`
    return doFetch(url, { headers: { authorization: `Bearer ${token}` } })
  }

  return {
    async fetchReleased() {
      let response = await download()
      if (response.status === 401) {
        // The session expired (8 hours on the simulator's clock): log in again once.
        token = undefined
        response = await download()
      }
      if (!response.ok) throw new Error(`the console's item export answered HTTP ${response.status}`)
      return readExport(await response.text(), options.consoleUrl)
    },
  }
}

/**
 * The console writes text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
 * CR first, after any spaces or apostrophes; full-width forms too) with one apostrophe
 * before it (README, "Virtual items"); this takes that apostrophe off again.
 */
function unquoteFormulaText(cell: string): string {
  const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/
  const formulaLike = (text: string) => [text.replace(/^'+/, ''), text.replace(/^'+/, '').trimStart()].some((start) => formulaStart.test(start))
  return cell.startsWith("'") && formulaLike(cell.slice(1)) ? cell.slice(1) : cell
}

/** The export's rows as items; image paths of the simulator become absolute URLs. */
export function readExport(csv: string, consoleUrl: string): ReleasedItem[] {
  const [header, ...records] = parseCsv(csv, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]
  if (!header || header.join('|') !== EXPORT_HEADER.join('|')) throw new Error(`unexpected export header: ${header?.join(', ') ?? 'none'}`)
  return records
    .map((record) => record.map(unquoteFormulaText))
    .filter((row) => row.some((cell) => cell !== ''))
    .map(([productId = '', name = '', price = '', imageUrl = '', description = '']) => ({
      productId,
      name,
      price: priceSchema.parse(price),
      imageUrl: imageUrl ? new URL(imageUrl, consoleUrl).href : '',
      description,
    }))
}
