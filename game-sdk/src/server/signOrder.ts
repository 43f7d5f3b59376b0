import type { SignedOrder } from '../core/payments'
import { serializeSignData, signDataSchema, type SignDataInput } from '../protocol/signData'
import { GameSdkError } from '../core/errors'
import { z } from 'zod'
import { signPaySig, signUserSignature } from '../protocol/signatures'

export interface SignOrderInput {
  appKey: string
  sessionKey: string
  order: SignDataInput
}

/**
 * Builds signData and both signatures for one purchase, on the game's server (the only
 * place the AppKey and session_key may live).
 *
 * @example
 * const signed = signOrder({ appKey, sessionKey, order: { productId, goodsPrice: 199, buyQuantity: 1, currencyType: 'USD', outTradeNo } })
 * res.json(signed) // the client passes it to wx.requestMidasPaymentGameItem
 */
export function signOrder({ appKey, sessionKey, order }: SignOrderInput): SignedOrder {
  const signData = serializeSignData(order)
  const checked = signDataSchema.safeParse(JSON.parse(signData))
  if (!checked.success) throw new GameSdkError('INVALID_ARGUMENT', `invalid order: ${z.prettifyError(checked.error)}`)
  return { signData, paySig: signPaySig(appKey, signData), signature: signUserSignature(sessionKey, signData) }
}
