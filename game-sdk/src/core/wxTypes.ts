/**
 * The host API surface a mini game calls, typed after the official `minigame-api-typings`
 * (lib.wx.api.d.ts). Only the calls this project simulates are declared.
 */

export interface GeneralCallbackResult {
  errMsg: string
}

export interface LoginSuccessResult extends GeneralCallbackResult {
  /** Short-lived code; the game's server exchanges it through jscode2session. */
  code: string
}

export interface LoginOption {
  /** Timeout in ms. */
  timeout?: number
  success?: (result: LoginSuccessResult) => void
  fail?: (result: GeneralCallbackResult) => void
  complete?: (result: GeneralCallbackResult) => void
}

/** What success, fail and complete of requestMidasPaymentGameItem receive. */
export interface MidasPaymentGameItemResult extends GeneralCallbackResult {
  errCode: number
}

export interface RequestMidasPaymentGameItemOption {
  /** A JSON string (an object is refused with errCode -15011). */
  signData: string
  /** hex(HMAC-SHA256(appKey, "requestMidasPaymentGameItem&" + signData)), from the game's server. */
  paySig: string
  /** hex(HMAC-SHA256(session_key, signData)), from the game's server. */
  signature: string
  success?: (result: MidasPaymentGameItemResult) => void
  fail?: (result: MidasPaymentGameItemResult) => void
  complete?: (result: MidasPaymentGameItemResult) => void
}

/** The part of the global `wx` object this project provides and uses. */
export interface WxPaymentApi {
  login(option?: LoginOption): Promise<LoginSuccessResult> | void
  requestMidasPaymentGameItem(option: RequestMidasPaymentGameItemOption): Promise<MidasPaymentGameItemResult> | void
}
