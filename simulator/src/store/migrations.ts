import { STATE_VERSION, parseStored, smallStateSchema, storedDataError } from './schema'
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
 * 2. The current layout: state.json checked by smallStateSchema, the tables in
 *    tables.snapshot plus a journal of records and patches that names the snapshot it
 *    continues.
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
