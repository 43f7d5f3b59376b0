import { readFileSync } from 'node:fs'

/**
 * test/vectors/protocol.json, typed: signature vectors computed with OpenSSL, not with this
 * project's code (each carries the command that computed it). Read by the SDK's and the
 * simulator's tests; test/integration/protocolVectors.test.ts runs the commands again.
 */
interface Vector {
  name: string
  /** The exact string that was signed. */
  message: string
  /** The shell command that computed `expected` (printf '%s' MESSAGE | openssl dgst -sha256 -hmac KEY). */
  command: string
  /** Lower-case hex HMAC-SHA256. */
  expected: string
}

export interface ProtocolVectors {
  paySig: (Vector & { appKey: string; signData: string })[]
  signature: (Vector & { sessionKey: string; signData: string })[]
  PayEventSig: (Vector & { appKey: string; event: string; payload: string })[]
  refundNotification: (Vector & { appKey: string; event: string; payload: string })[]
  pay_sig: (Vector & { appKey: string; uri: string; body: string })[]
}

export const PROTOCOL_VECTORS: ProtocolVectors = JSON.parse(readFileSync(new URL('./protocol.json', import.meta.url), 'utf8'))
