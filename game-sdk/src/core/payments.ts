import { ErrCode, describeErrCode } from '../protocol/errcodes'
import { GameSdkError } from './errors'
import type { MidasPaymentGameItemResult, WxPaymentApi } from './wxTypes'

/** What the game's server hands the client for one purchase. */
export interface SignedOrder {
  signData: string
  paySig: string
  signature: string
}

/**
 * The outcome of a purchase. Cancelling and host refusals are ordinary outcomes, not
 * exceptions. `paid` means the player paid: the item is granted only when the game's
 * server has accepted the delivery notification, so ask your server, never trust this.
 */
export type PurchaseResult =
  | { status: 'paid'; errMsg: string }
  | { status: 'cancelled'; errCode: number; errMsg: string }
  | { status: 'failed'; errCode: number; errMsg: string; reason: string }

/**
 * A typed promise API over any `wx`-shaped host (the real one or the simulator's shim).
 *
 * @example
 * const payments = createGamePayments(wx)
 * const code = await payments.login()
 * const result = await payments.purchase(await myServer.createOrder(code, 'gem_pack_small'))
 * if (result.status === 'paid') await refreshInventoryFromServer()
 */
export function createGamePayments(wx: WxPaymentApi) {
  return {
    /** Calls wx.login and returns the code for the game's server. Throws GameSdkError when the host fails. */
    async login(): Promise<string> {
      const result = await new Promise<{ code?: string; errMsg: string }>((resolve) => {
        wx.login({ success: resolve, fail: resolve })
      })
      if (!result.code) throw new GameSdkError('HOST_API_ERROR', `wx.login failed: ${result.errMsg}`)
      return result.code
    },

    /** Calls wx.requestMidasPaymentGameItem and maps its errCode to a result value. */
    async purchase(order: SignedOrder): Promise<PurchaseResult> {
      if (!order || typeof order.signData !== 'string' || !order.paySig || !order.signature) {
        throw new GameSdkError(
          'INVALID_ARGUMENT',
          'purchase() needs {signData, paySig, signature} as strings from your game server. Did you pass the order object instead of its signed fields?',
        )
      }
      const result = await new Promise<MidasPaymentGameItemResult>((resolve) => {
        wx.requestMidasPaymentGameItem({ ...order, success: resolve, fail: resolve })
      })
      return toPurchaseResult(result)
    },
  }
}

export type GamePayments = ReturnType<typeof createGamePayments>

export function toPurchaseResult(result: MidasPaymentGameItemResult): PurchaseResult {
  const errCode = result.errCode ?? ErrCode.OK
  if (errCode === ErrCode.OK) return { status: 'paid', errMsg: result.errMsg }
  if (errCode === ErrCode.USER_CANCELLED || errCode === ErrCode.PAYMENT_CANCELLED) {
    return { status: 'cancelled', errCode, errMsg: result.errMsg }
  }
  return { status: 'failed', errCode, errMsg: result.errMsg, reason: describeErrCode(errCode) }
}
