import { createHash, randomBytes } from 'node:crypto'

/** A player's openid is stable per (appId, player), as on the real host, and unrelated across apps. */
export function openidFor(appId: string, playerId: string): string {
  return 'o' + createHash('sha256').update(`${appId}:${playerId}`).digest('base64url').slice(0, 27)
}

export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url')
}

/** session_key is 16 random bytes in base64, as WeChat issues it. */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64')
}

/** The host's order number: date plus a zero-padded sequence, readable in logs and exports. */
export function orderNumber(now: number, sequence: number): string {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '')
  return `SIM${day}${String(sequence).padStart(8, '0')}`
}
