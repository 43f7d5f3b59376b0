import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The signatures of docs/protocol.md. Keys are used as their UTF-8 bytes, messages as the exact
 * strings given: sign the same string you send, never a re-serialised copy.
 */

export const PAY_SIG_PREFIX = 'requestMidasPaymentGameItem'

export function hmacSha256Hex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex')
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
 * Compares two hex signatures in constant time. Lower-case hex only, as every signature
 * here is produced: accepting "ABC…" would let a game pass the simulator with a signer
 * the real host may refuse.
 */
export function signaturesEqual(expectedHex: string, actual: unknown): boolean {
  if (typeof actual !== 'string' || actual.length !== expectedHex.length || !/^[0-9a-f]*$/.test(actual)) return false
  return timingSafeEqual(Buffer.from(expectedHex, 'utf8'), Buffer.from(actual, 'utf8'))
}
