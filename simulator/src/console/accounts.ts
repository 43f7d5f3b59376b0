import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import pLimit from 'p-limit'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/demoGame'
import type { ConsoleAccount } from '../store/model'

const scryptUnbounded = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>
const KEY_LENGTH = 32

/**
 * Password hashes computed at once, process-wide. scrypt runs on libuv's threadpool (4
 * threads by default), which file writes and WebCrypto (the console's session tokens) share:
 * 80 wrong passwords at once queued 80 scrypts ahead of every token check, and `GET /me`
 * took seconds. Two at a time leaves half the pool to everything else; the rest wait here,
 * in JavaScript, where nothing else queues behind them.
 */
export const PASSWORD_HASHES_AT_ONCE = 2
const hashing = pLimit(PASSWORD_HASHES_AT_ONCE)
const scryptAsync = (password: string, salt: Buffer, keylen: number) => hashing(() => scryptUnbounded(password, salt, keylen))

/** scrypt from node:crypto: a standard KDF, no dependency needed. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptAsync(password, salt, KEY_LENGTH)
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length)
  return timingSafeEqual(expected, actual)
}

/** A hash no password matches; compared against for unknown users so both paths cost the same. */
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return decoyHash
}

/** The demo accounts, one per role, all with the password "password". */
let demoPasswordHash: Promise<string> | undefined

export async function demoAccounts(teamId: string): Promise<ConsoleAccount[]> {
  // One hash for the shared demo password, computed once per process, keeps seeding (and
  // every sandbox reset) fast: scrypt costs tens of milliseconds by design.
  const passwordHash = await (demoPasswordHash ??= hashPassword(DEMO_PASSWORD))
  return DEMO_ACCOUNTS.map(({ username, role, email, team }) => ({ username, role, email, passwordHash, teamId: team ? teamId : null }))
}
