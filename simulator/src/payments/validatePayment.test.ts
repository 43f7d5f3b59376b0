import { describe, expect, it } from 'vitest'
import { DEMO_GAME } from '../demo/demoGame'
import { ErrCode } from '@superapp-sim/game-sdk'
import { serializeSignData, type SignDataInput } from '@superapp-sim/game-sdk'
import { signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { demoState } from '../demo/demoData'
import { OrderStatus, cloneState, type Order, type SimState } from '../store/model'
import { validatePayment, type PaymentRequest } from './validatePayment'

const SESSION_KEY = 'current-session-key'
const OLD_SESSION_KEY = 'older-session-key'

const baseState = await demoState({ sampleGameOrigin: 'http://127.0.0.1:7071' })

function state(change?: (s: SimState) => void): SimState {
  const s = cloneState(baseState)
  s.sessions.push({
    appId: DEMO_GAME.appId,
    playerId: 'player-1',
    openid: 'oPlayer1',
    sessionKey: SESSION_KEY,
    expiredSessionKeys: [OLD_SESSION_KEY],
    updatedAt: '2026-01-01T00:00:00.000Z',
  })
  change?.(s)
  return s
}

const baseOrder: SignDataInput = { buyQuantity: 1, currencyType: 'USD', productId: 'golden_sword', goodsPrice: 299, outTradeNo: 'OUT1' }

function request(order: Partial<SignDataInput> = {}, sign: { appKey?: string; sessionKey?: string } = {}): PaymentRequest {
  const signData = serializeSignData({ ...baseOrder, ...order })
  return {
    appId: DEMO_GAME.appId,
    playerId: 'player-1',
    params: {
      signData,
      paySig: signPaySig(sign.appKey ?? DEMO_GAME.appKey, signData),
      signature: signUserSignature(sign.sessionKey ?? SESSION_KEY, signData),
    },
  }
}

function errCodeOf(s: SimState, r: PaymentRequest): number {
  const result = validatePayment(s, r)
  return result.ok ? 0 : result.errCode
}

describe('validatePayment', () => {
  it('accepts a correctly signed order for a released item at its price', () => {
    const result = validatePayment(state(), request())
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.item.productId).toBe('golden_sword')
  })

  it('answers -15001 when signData, paySig or signature is missing', () => {
    for (const name of ['signData', 'paySig', 'signature']) {
      const r = request()
      delete r.params[name]
      expect(errCodeOf(state(), r)).toBe(ErrCode.MISSING_PARAMETER)
    }
  })

  it('answers -15001 when a required signData field is missing', () => {
    const r = request()
    const signData = JSON.stringify({ ...JSON.parse(r.params.signData as string), productId: undefined })
    r.params = { signData, paySig: signPaySig(DEMO_GAME.appKey, signData), signature: signUserSignature(SESSION_KEY, signData) }
    expect(errCodeOf(state(), r)).toBe(ErrCode.MISSING_PARAMETER)
  })

  it('answers -15011 when signData is an object instead of a JSON string', () => {
    const r = request()
    r.params.signData = JSON.parse(r.params.signData as string)
    const result = validatePayment(state(), r)
    expect(result).toMatchObject({ ok: false, errCode: ErrCode.WRONG_DATA_TYPE })
    if (!result.ok) expect(result.errMsg).toMatch(/^requestMidasPaymentGameItem:fail signData must be a string/)
  })

  it('answers -15011 for a signData field of the wrong type', () => {
    expect(errCodeOf(state(), request({ goodsPrice: '299' as never }))).toBe(ErrCode.WRONG_DATA_TYPE)
  })

  it('answers -15002 for signData that is not JSON or has an invalid value', () => {
    const r = request()
    r.params.signData = '{not json'
    expect(errCodeOf(state(), r)).toBe(ErrCode.INVALID_PARAMETER)
    expect(errCodeOf(state(), request({ outTradeNo: '_starts_with_underscore' }))).toBe(ErrCode.INVALID_PARAMETER)
    expect(errCodeOf(state(), request({ outTradeNo: 'x'.repeat(33) }))).toBe(ErrCode.INVALID_PARAMETER)
    expect(errCodeOf(state(), request({ buyQuantity: 0 }))).toBe(ErrCode.INVALID_PARAMETER)
  })

  it('answers -15005 without payment permission or without a bound merchant', () => {
    expect(errCodeOf(state((s) => void (s.miniGames[0]!.paymentPermission = 'pending')), request())).toBe(ErrCode.NO_PAYMENT_PERMISSION)
    expect(errCodeOf(state((s) => void (s.teams[0]!.merchant = null)), request())).toBe(ErrCode.NO_PAYMENT_PERMISSION)
  })

  it('answers -15014 for a paySig made with another key', () => {
    expect(errCodeOf(state(), request({}, { appKey: 'not-the-app-key' }))).toBe(ErrCode.PAY_SIG_ERROR)
  })

  it('answers -15012 for a user signature made with a key the host never issued', () => {
    expect(errCodeOf(state(), request({}, { sessionKey: 'made-up' }))).toBe(ErrCode.USER_SIGNATURE_ERROR)
  })

  it('answers -15015 for a user signature made with a replaced session_key, or with no session', () => {
    expect(errCodeOf(state(), request({}, { sessionKey: OLD_SESSION_KEY }))).toBe(ErrCode.SESSION_KEY_EXPIRED)
    expect(errCodeOf(state((s) => void (s.sessions = [])), request())).toBe(ErrCode.SESSION_KEY_EXPIRED)
  })

  it('answers -15006 for a currency the superapp does not support', () => {
    expect(errCodeOf(state(), request({ currencyType: 'EUR' }))).toBe(ErrCode.CURRENCY_NOT_SUPPORTED)
  })

  it('answers -15013 for an unknown, unreleased or removed item', () => {
    expect(errCodeOf(state(), request({ productId: 'no_such_item' }))).toBe(ErrCode.ITEM_NOT_RELEASED)
    expect(errCodeOf(state(), request({ productId: 'dragon_egg', goodsPrice: 999 }))).toBe(ErrCode.ITEM_NOT_RELEASED)
    const removed = state((s) => void (s.items.find((i) => i.productId === 'golden_sword')!.state = 'removed'))
    expect(errCodeOf(removed, request())).toBe(ErrCode.ITEM_NOT_RELEASED)
  })

  it('answers -15016 when goodsPrice differs from the released price', () => {
    expect(errCodeOf(state(), request({ goodsPrice: 1 }))).toBe(ErrCode.ITEM_PRICE_ERROR)
  })

  it('charges the released version, not the working copy edited since', () => {
    const edited = state((s) => Object.assign(s.items.find((i) => i.productId === 'golden_sword')!, { price: 349, name: 'Sword II', imageUrl: '/media/uploads/new.png' }))
    expect(errCodeOf(edited, request({ goodsPrice: 349 }))).toBe(ErrCode.ITEM_PRICE_ERROR)
    const accepted = validatePayment(edited, request({ goodsPrice: 299 }))
    expect(accepted.ok && accepted.item).toMatchObject({ productId: 'golden_sword', name: 'Golden Sword', price: 299, imageUrl: '/media/items/golden_sword.svg' })
  })

  it('keeps selling the released version while a change waits for approval, but not a first release', () => {
    const pending = state((s) => {
      Object.assign(s.items.find((i) => i.productId === 'golden_sword')!, { state: 'pending_release', price: 349 })
      Object.assign(s.items.find((i) => i.productId === 'dragon_egg')!, { state: 'pending_release' })
    })
    expect(errCodeOf(pending, request())).toBe(0)
    expect(errCodeOf(pending, request({ productId: 'dragon_egg', goodsPrice: 999 }))).toBe(ErrCode.ITEM_NOT_RELEASED)
  })

  it('refuses a reused outTradeNo: -15003 while open, -15007 once paid, -15017 once closed', () => {
    const withOrder = (status: number) =>
      state((s) => {
        s.orders.push({ orderNo: 'SIM1', appId: DEMO_GAME.appId, outTradeNo: 'OUT1', status } as Order)
      })
    expect(errCodeOf(withOrder(OrderStatus.CREATED), request())).toBe(ErrCode.DUPLICATE_ORDER)
    expect(errCodeOf(withOrder(OrderStatus.PAID), request())).toBe(ErrCode.ORDER_ALREADY_PAID)
    expect(errCodeOf(withOrder(OrderStatus.DELIVERED), request())).toBe(ErrCode.ORDER_ALREADY_PAID)
    expect(errCodeOf(withOrder(OrderStatus.CLOSED), request())).toBe(ErrCode.ORDER_CLOSED)
  })
})
