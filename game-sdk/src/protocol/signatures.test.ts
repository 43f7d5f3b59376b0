import { describe, expect, it } from 'vitest'
import { serializeSignData } from './signData'
import { signaturesEqual, signPayEventSig, signPaySig, signUserSignature } from './signatures'

// docs/protocol.md section 1 (the SAS example), binding to the byte.
const VECTOR_SIGN_DATA =
  '{"mode":"goods","buyQuantity":1,"currencyType":"USD","platform":"android","productId":"testproductId","goodsPrice":10,"outTradeNo":"xxxxxx","attach":"testdata"}'
const VECTOR_PAY_SIG = 'bfa592ec1251058d63f2b786460376ac34a7fd4832e38fbb68a4dbe5c1b3090b'

describe('signatures', () => {
  it('computes the paySig of the SAS example (test vector)', () => {
    expect(signPaySig('12345', VECTOR_SIGN_DATA)).toBe(VECTOR_PAY_SIG)
  })

  it('serialises signData in the order the test vector uses, so signing it gives the same paySig', () => {
    const signData = serializeSignData({
      buyQuantity: 1,
      currencyType: 'USD',
      platform: 'android',
      productId: 'testproductId',
      goodsPrice: 10,
      outTradeNo: 'xxxxxx',
      attach: 'testdata',
    })
    expect(signData).toBe(VECTOR_SIGN_DATA)
    expect(signPaySig('12345', signData)).toBe(VECTOR_PAY_SIG)
  })

  it('refuses a paySig computed over a different signData', () => {
    const other = VECTOR_SIGN_DATA.replace('"goodsPrice":10', '"goodsPrice":1')
    expect(signaturesEqual(signPaySig('12345', other), VECTOR_PAY_SIG)).toBe(false)
  })

  it('binds each signature to its own message shape', () => {
    const user = signUserSignature('session-key', VECTOR_SIGN_DATA)
    expect(user).toMatch(/^[0-9a-f]{64}$/)
    expect(user).not.toBe(signPaySig('session-key', VECTOR_SIGN_DATA))
    expect(signPayEventSig('k', 'evt', 'p')).not.toBe(signPayEventSig('k', 'evt', 'p '))
  })

  it('refuses upper-case hex, non-hex, wrong length and non-strings', () => {
    expect(signaturesEqual(VECTOR_PAY_SIG, VECTOR_PAY_SIG)).toBe(true)
    expect(signaturesEqual(VECTOR_PAY_SIG, VECTOR_PAY_SIG.toUpperCase())).toBe(false)
    expect(signaturesEqual(VECTOR_PAY_SIG, VECTOR_PAY_SIG.slice(1))).toBe(false)
    expect(signaturesEqual(VECTOR_PAY_SIG, 'z'.repeat(64))).toBe(false)
    expect(signaturesEqual(VECTOR_PAY_SIG, 42)).toBe(false)
    expect(signaturesEqual(VECTOR_PAY_SIG, undefined)).toBe(false)
  })
})
