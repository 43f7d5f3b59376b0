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

/**
 * What `fail` of wx.login receives: the platform's Errno (`errno`, base library 2.24.0+)
 * beside errMsg, as minigame-api-typings declares it.
 */
export interface LoginFailResult extends GeneralCallbackResult {
  errno: number
}

export interface LoginOption {
  /** Timeout in ms. */
  timeout?: number
  success?: (result: LoginSuccessResult) => void
  fail?: (result: LoginFailResult) => void
  complete?: (result: GeneralCallbackResult) => void
}

/**
 * The platform's convention for async APIs (minigame-api-typings' PromisifySuccessResult):
 * with success, fail or complete the call returns nothing; without any, a promise of the
 * success result. Typed per call, so callers get `Promise<…>` or `void`, never a union.
 */
// `any` as the typings write it: TypeScript relates two deferred conditional types only when
// their conditions are identical, so this must read exactly as theirs for `wx.login` to be
// assignable to `WechatMinigame.Wx['login']` (test/types/officialTypings.ts).
export type PromisifySuccessResult<P, T extends { success?: (...args: any[]) => void }> = P extends { success: any }
  ? void
  : P extends { fail: any }
    ? void
    : P extends { complete: any }
      ? void
      : Promise<Parameters<Exclude<T['success'], undefined>>[0]>

/** What success, fail and complete of requestMidasPaymentGameItem receive. */
export interface MidasPaymentGameItemResult extends GeneralCallbackResult {
  errCode: number
}

export interface RequestMidasPaymentGameItemOption {
  /**
   * A JSON string (an object is refused with errCode -15011). minigame-api-typings types it
   * as an object; the platform's documents and the host want the string the server signed
   * (docs/protocol.md, "signData").
   */
  signData: string
  /** hex(HMAC-SHA256(appKey, "requestMidasPaymentGameItem&" + signData)), from the game's server. */
  paySig: string
  /** hex(HMAC-SHA256(session_key, signData)), from the game's server. */
  signature: string
  /** The platform's example reads the errCode as a second argument too (`success(res, errCode)`); both are given. */
  success?: (result: MidasPaymentGameItemResult, errCode: number) => void
  fail?: (result: MidasPaymentGameItemResult) => void
  complete?: (result: MidasPaymentGameItemResult) => void
}

/** The part of the global `wx` object this project provides and uses. */
export interface WxPaymentApi {
  login<T extends LoginOption = LoginOption>(option?: T): PromisifySuccessResult<T, LoginOption>
  requestMidasPaymentGameItem<T extends RequestMidasPaymentGameItemOption = RequestMidasPaymentGameItemOption>(option: T): PromisifySuccessResult<T, RequestMidasPaymentGameItemOption>
}
