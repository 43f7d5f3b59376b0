import { z } from 'zod'
import { ErrCode, describeErrCode } from '@superapp-sim/game-sdk'
import { signDataSchema, type SignData } from '@superapp-sim/game-sdk'
import { signaturesEqual, signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { asSold, releasedVersionOf } from '../catalog/itemVersions'
import { OrderStatus, type Item, type MiniGame, type SimState } from '../store/model'

export const PAYMENT_API = 'requestMidasPaymentGameItem'

export interface PaymentRefusal {
  ok: false
  errCode: number
  errMsg: string
}

export interface AcceptedPayment {
  ok: true
  game: MiniGame
  /** The item as released: name, price, image and description of the version on sale. */
  item: Item
  signData: SignData
  rawSignData: string
  openid: string
}

export interface PaymentRequest {
  appId: string
  playerId: string
  /** What the game passed to requestMidasPaymentGameItem, unparsed. */
  params: Record<string, unknown>
}

export function refusal(errCode: number, detail?: string): PaymentRefusal {
  return { ok: false, errCode, errMsg: `${PAYMENT_API}:fail ${detail ?? describeErrCode(errCode)}` }
}

/**
 * Checks a payment call the way the host does, in order: parameters present and typed,
 * payment permission, paySig, the user-state signature, currency, released item, price,
 * outTradeNo unused. Pure: reads the state, changes nothing.
 */
export function validatePayment(state: Readonly<SimState>, request: PaymentRequest): PaymentRefusal | AcceptedPayment {
  const { params } = request
  for (const name of ['signData', 'paySig', 'signature'] as const) {
    if (params[name] === undefined || params[name] === null || params[name] === '') {
      return refusal(ErrCode.MISSING_PARAMETER, `missing parameter ${name}`)
    }
  }
  for (const name of ['signData', 'paySig', 'signature'] as const) {
    if (typeof params[name] !== 'string') {
      return refusal(
        ErrCode.WRONG_DATA_TYPE,
        `${name} must be a string${name === 'signData' ? ' (JSON.stringify the object, then sign that exact string)' : ''}`,
      )
    }
  }
  const rawSignData = params.signData as string
  const signDataCheck = checkSignData(rawSignData)
  if (!signDataCheck.ok) return signDataCheck

  const game = state.miniGames.find((g) => g.appId === request.appId)
  if (!game) return refusal(ErrCode.NO_PAYMENT_PERMISSION, `unknown appId ${request.appId}`)
  const team = state.teams.find((t) => t.id === game.teamId)
  if (game.paymentPermission !== 'approved' || !team?.merchant) {
    return refusal(ErrCode.NO_PAYMENT_PERMISSION, 'this mini game has no payment permission: request it in the console and have the superapp approve it')
  }

  if (!signaturesEqual(signPaySig(game.appKey, rawSignData), params.paySig)) {
    return refusal(ErrCode.PAY_SIG_ERROR, 'paySig error: HMAC-SHA256(appKey, "requestMidasPaymentGameItem&" + signData) does not match')
  }

  const session = state.sessions.find((s) => s.appId === game.appId && s.playerId === request.playerId)
  if (!session) return refusal(ErrCode.SESSION_KEY_EXPIRED, 'no session for this player: call wx.login and exchange the code first')
  if (!signaturesEqual(signUserSignature(session.sessionKey, rawSignData), params.signature)) {
    const signedWithOldKey = session.expiredSessionKeys.some((key) =>
      signaturesEqual(signUserSignature(key, rawSignData), params.signature),
    )
    return signedWithOldKey
      ? refusal(ErrCode.SESSION_KEY_EXPIRED, 'session_key expired: the player logged in again; sign with the newest session_key')
      : refusal(ErrCode.USER_SIGNATURE_ERROR, 'signature error: HMAC-SHA256(session_key, signData) does not match')
  }

  const signData = signDataCheck.signData
  if (!state.superapp.currencies.includes(signData.currencyType)) {
    return refusal(ErrCode.CURRENCY_NOT_SUPPORTED, `currency ${signData.currencyType} is not supported by the superapp (supported: ${state.superapp.currencies.join(', ')})`)
  }
  // The host sells the released version only: a draft, a pending first release, a removed or
  // unknown item is -15013, and edits not yet released change neither price nor sheet.
  const stored = state.items.find((i) => i.appId === game.appId && i.productId === signData.productId)
  const released = stored && releasedVersionOf(stored)
  if (!stored || !released) {
    const why = !stored ? "is not in the mini game's catalog" : stored.state === 'removed' ? 'was removed from sale' : 'is not released'
    return refusal(ErrCode.ITEM_NOT_RELEASED, `item ${signData.productId} ${why}`)
  }
  if (signData.goodsPrice !== released.price) {
    return refusal(ErrCode.ITEM_PRICE_ERROR, `item price error: goodsPrice ${signData.goodsPrice} differs from the released price ${released.price}`)
  }
  const item = asSold(stored, released)

  const previous = state.orders.firstByIndex('outTradeNo', `${game.appId}\n${signData.outTradeNo}`)
  if (previous) {
    if (previous.status === OrderStatus.CLOSED) return refusal(ErrCode.ORDER_CLOSED, `order ${signData.outTradeNo} is closed`)
    if (previous.status >= OrderStatus.PAID) return refusal(ErrCode.ORDER_ALREADY_PAID, `order ${signData.outTradeNo} is already paid`)
    return refusal(ErrCode.DUPLICATE_ORDER, `duplicate order: outTradeNo ${signData.outTradeNo} was already used`)
  }

  return { ok: true, game, item, signData, rawSignData, openid: session.openid }
}

type SignDataCheck = { ok: true; signData: SignData } | PaymentRefusal

function checkSignData(raw: string): SignDataCheck {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return refusal(ErrCode.INVALID_PARAMETER, 'signData is not valid JSON')
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return refusal(ErrCode.WRONG_DATA_TYPE, 'signData must be a JSON object')
  const parsed = signDataSchema.safeParse(json)
  if (parsed.success) return { ok: true, signData: parsed.data }
  const issue = parsed.error.issues[0]!
  const field = issue.path.join('.') || 'signData'
  const value = (json as Record<string, unknown>)[String(issue.path[0])]
  if (value === undefined) return refusal(ErrCode.MISSING_PARAMETER, `missing signData.${field}`)
  if (issue.code === 'invalid_type') return refusal(ErrCode.WRONG_DATA_TYPE, `signData.${field}: ${issue.message}`)
  return refusal(ErrCode.INVALID_PARAMETER, `signData.${field}: ${issue.message}`)
}

export const paymentRequestSchema = z.object({
  appId: z.string().min(1).max(64),
  playerId: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()),
})
