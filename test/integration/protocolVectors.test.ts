import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { PROTOCOL_VECTORS } from '../vectors/protocolVectors'

/** Every vector's command, run again with OpenSSL: the file's values come from outside the project. */
describe('test/vectors/protocol.json', () => {
  const { paySig, signature, PayEventSig, refundNotification, pay_sig } = PROTOCOL_VECTORS
  const all = Object.entries({ paySig, signature, PayEventSig, refundNotification, pay_sig }).flatMap(([kind, vectors]) => vectors.map((v) => [`${kind}: ${v.name}`, v] as const))

  it.each(all)('%s: its command prints its expected digest', (_name, vector) => {
    const printed = execFileSync('bash', ['-c', vector.command], { encoding: 'utf8' }).trim()
    expect(printed.split('= ').at(-1)).toBe(vector.expected)
  })

  it('signs the strings the protocol names, put together from their parts', () => {
    for (const v of PROTOCOL_VECTORS.paySig) expect(v.message).toBe(`requestMidasPaymentGameItem&${v.signData}`)
    for (const v of PROTOCOL_VECTORS.signature) expect(v.message).toBe(v.signData)
    for (const v of [...PROTOCOL_VECTORS.PayEventSig, ...PROTOCOL_VECTORS.refundNotification]) expect(v.message).toBe(`${v.event}&${v.payload}`)
    for (const v of PROTOCOL_VECTORS.pay_sig) expect(v.message).toBe(`${v.uri}&${v.body}`)
    expect(PROTOCOL_VECTORS.paySig[0]!.expected).toBe('bfa592ec1251058d63f2b786460376ac34a7fd4832e38fbb68a4dbe5c1b3090b')
  })
})
