import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * The signatures of the protocol (docs/protocol.md). Keys are used as their UTF-8 bytes,
 * messages as the exact strings given: sign the same string you send, never a
 * re-serialised copy. HMAC-SHA256 comes from @noble/hashes (audited, synchronous, no
 * dependencies), so these formulas run unchanged in Node, a browser and a worker.
 */

export const PAY_SIG_PREFIX = 'requestMidasPaymentGameItem'

export function hmacSha256Hex(key: string, message: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(message)))
}

/** paySig for wx.requestMidasPaymentGameItem: HMAC-SHA256(appKey, "requestMidasPaymentGameItem&" + signData). */
export function signPaySig(appKey: string, signData: string): string {
  return hmacSha256Hex(appKey, `${PAY_SIG_PREFIX}&${signData}`)
}

/** The user-state `signature`: HMAC-SHA256(session_key, signData). */
export function signUserSignature(sessionKey: string, signData: string): string {
  return hmacSha256Hex(sessionKey, signData)
}

/** PayEventSig of a notification: HMAC-SHA256(appKey, Event + "&" + Payload). */
export function signPayEventSig(appKey: string, event: string, payload: string): string {
  return hmacSha256Hex(appKey, `${event}&${payload}`)
}

/** pay_sig of a server API call: HMAC-SHA256(appKey, uri + "&" + body), uri without the query. */
export function signServerApi(appKey: string, uri: string, body: string): string {
  return hmacSha256Hex(appKey, `${uri}&${body}`)
}

/**
 * Compares two hex signatures in constant time (every character is looked at, whatever
 * differs first). Lower-case hex only, as every signature here is produced: accepting
 * "ABC…" would let a game pass the simulator with a signer the real host may refuse.
 */
export function signaturesEqual(expectedHex: string, actual: unknown): boolean {
  if (typeof actual !== 'string' || actual.length !== expectedHex.length || !/^[0-9a-f]*$/.test(actual)) return false
  let difference = 0
  for (let i = 0; i < expectedHex.length; i++) difference |= expectedHex.charCodeAt(i) ^ actual.charCodeAt(i)
  return difference === 0
}
