import { STATE_VERSION, smallStateSchema } from './schema'
import { parseStored, storedDataError } from './storedData'
import type { SmallState } from './model'

/**
 * Brings what older versions of the simulator wrote to the current layout (STATE_VERSION),
 * one version at a time. The store runs these on open and then rewrites the files in the
 * current layout, so the rest of the code reads only the current one.
 *
 * Versions:
 * 1. Until issue 13: state.json said `"version": 1` (or nothing, before versions were
 *    written). It may hold `loginCodes` (now in memory only), items stored before issue 4
 *    (no description, no creation time, a released item with no released copy), and, in
 *    the layout from before the journal, the orders and the outbox themselves. The journal
 *    had no header line and there was no snapshot.
 * 2. Until issue 16: state.json checked by smallStateSchema, the tables in tables.snapshot
 *    plus a journal of records and patches that names the snapshot it continues. An order
 *    had no `refundedAmount` until its first refund, and a mini game whose request domains
 *    were never set had no `requestDomains` (none) nor `allowLoopbackRequests` (true).
 * 3. The current layout: as 2, with those fields always written.
 *
 * A table record is migrated by the version of the file it was read from (the snapshot's
 * or the journal's header; version 1 for the tables inside an old state.json), so a
 * snapshot and a journal of different versions open alike.
 */

/** What an older state.json held besides the small state: the tables of the pre-journal layout. */
interface LegacyTables {
  orders: unknown[]
  outbox: unknown[]
}

interface MigratedState {
  small: SmallState
  /** The version the file was written in. */
  fromVersion: number
  legacyTables?: LegacyTables
}

type Json = Record<string, unknown>

/** `migrations[v]` takes a state.json of version v to version v + 1. */
const migrations: Record<number, (data: Json, context: { now: string; tables: Partial<LegacyTables> }) => Json> = {
  1: fromVersion1,
  2: fromVersion2,
}

type TableName = 'orders' | 'outbox' | 'refunds'

/** `recordMigrations[v]` takes a table record of version v to version v + 1 (absent: nothing changed). */
const recordMigrations: Record<number, Partial<Record<TableName, (record: Json) => Json>>> = {
  2: {
    orders: (order) => ({ ...order, refundedAmount: order.refundedAmount ?? 0 }),
  },
}

/**
 * A table record as a file of `fromVersion` holds it, brought to STATE_VERSION; what is not
 * a JSON object is passed on for the schema to refuse with its place named.
 */
export function migrateRecord(table: TableName, record: unknown, fromVersion: number): unknown {
  if (!isJson(record)) return record
  let migrated = record
  for (let version = fromVersion; version < STATE_VERSION; version++) migrated = recordMigrations[version]?.[table]?.(migrated) ?? migrated
  return migrated
}

/**
 * Reads a state.json of any version this simulator knows, checked field by field; `file`
 * names it in errors. `now` stands in for times an older version did not record.
 */
export function migrateState(raw: unknown, file: string, now: string): MigratedState {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw storedDataError(`${file} is not a JSON object`)
  let data = raw as Json
  const fromVersion = data.version === undefined ? 1 : data.version
  if (typeof fromVersion !== 'number' || !Number.isInteger(fromVersion) || fromVersion < 1) throw storedDataError(`${file}: version: ${JSON.stringify(data.version)} is not a state version`)
  if (fromVersion > STATE_VERSION) throw storedDataError(`${file} was written by a newer superapp-sim (state version ${fromVersion}; this one reads up to ${STATE_VERSION}): update superapp-sim`)
  const tables: Partial<LegacyTables> = {}
  for (let version = fromVersion; version < STATE_VERSION; version++) data = { ...migrations[version]!(data, { now, tables }), version: version + 1 }
  const small = parseStored(smallStateSchema, data, file)
  return { small, fromVersion, legacyTables: tables.orders || tables.outbox ? { orders: tables.orders ?? [], outbox: tables.outbox ?? [] } : undefined }
}

function fromVersion1(data: Json, { now, tables }: { now: string; tables: Partial<LegacyTables> }): Json {
  const { orders, outbox, loginCodes: _codesNowInMemory, ...rest } = data
  // The layout from before the journal kept the growing tables in state.json.
  if (Array.isArray(orders)) tables.orders = orders
  if (Array.isArray(outbox)) tables.outbox = outbox
  // The tables' counters now live with the tables; they are rebuilt from the records' numbers.
  const { approval = 0, mail = 0 } = (rest.counters ?? {}) as Json
  const counters = { approval, mail }
  const settings = { autoApproveRefunds: false, ...(rest.settings as Json | undefined) }
  const items = Array.isArray(rest.items) ? rest.items.map((item) => (isJson(item) ? itemFromVersion1(item, now) : item)) : rest.items
  // Version 1 "issued" a bare public key, not a certificate, and the private key went only to
  // the mailbox: no certificate can be made for it. The credentials are dropped, the AppKey
  // kept, and the next save of the delivery configuration issues a real certificate.
  const miniGames = Array.isArray(rest.miniGames) ? rest.miniGames.map((game) => (isJson(game) && isJson(game.credentials) && 'publicKeyPem' in game.credentials ? { ...game, credentials: null } : game)) : rest.miniGames
  // Logout came with version 2: nothing was revoked before.
  return { ...rest, revokedSessions: [], counters, settings, items, miniGames }
}

function fromVersion2(data: Json): Json {
  // Request domains never set: none, and loopback allowed, as version 2 read their absence.
  const miniGames = Array.isArray(data.miniGames)
    ? data.miniGames.map((game) => (isJson(game) ? { ...game, requestDomains: game.requestDomains ?? [], allowLoopbackRequests: game.allowLoopbackRequests ?? true } : game))
    : data.miniGames
  return { ...data, miniGames }
}

/**
 * Items stored before issue 4 had no description and no times, and a released item had no
 * released copy: it was sold as it stood, so its working copy becomes the released one.
 */
function itemFromVersion1(item: Json, now: string): Json {
  const createdAt = item.createdAt ?? item.updatedAt ?? now
  const updatedAt = item.updatedAt ?? createdAt
  const migrated: Json = { ...item, description: item.description ?? '', createdAt, updatedAt }
  if (item.state === 'released' && item.released === undefined) {
    migrated.released = { name: item.name, price: item.price, imageUrl: item.imageUrl, description: migrated.description, releasedAt: updatedAt }
  }
  return migrated
}

const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
