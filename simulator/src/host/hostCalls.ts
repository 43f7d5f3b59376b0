/**
 * The results a host call ends with, shaped in one place for both ways a game reaches the
 * host: the browser shell (postMessage) and the headless socket (WebSocket). A game must
 * get the same bytes from both. Browser-safe: no Node imports.
 */
import type { HostResultPayload } from '@superapp-sim/game-sdk'
import { ErrCode, LOGIN_FAILED_ERRNO } from '@superapp-sim/game-sdk'

const PAYMENT_API = 'requestMidasPaymentGameItem'

export function loginResult(callId: string, code: string): HostResultPayload {
  return { callId, ok: true, result: { code, errMsg: 'login:ok' } }
}

export function loginFailure(callId: string, message: string): HostResultPayload {
  return { callId, ok: false, result: { errMsg: `login:fail ${message}`, errno: LOGIN_FAILED_ERRNO } }
}

/** The host could not process the call at all (bad request to its own API, host error). */
export function paymentFailure(callId: string, message: string): HostResultPayload {
  return { callId, ok: false, result: { errCode: ErrCode.SYSTEM_FAILURE, errMsg: `${PAYMENT_API}:fail ${message}` } }
}

/** A refusal or the sheet's answer: only errCode and errMsg, what the real host gives a game. */
export function paymentAnswer(callId: string, answer: { errCode: number; errMsg: string }): HostResultPayload {
  return { callId, ok: answer.errCode === ErrCode.OK, result: { errCode: answer.errCode, errMsg: answer.errMsg } }
}
