import type { HostTransport } from '../protocol/channel'
import { ErrCode, LOGIN_FAILED_ERRNO } from '../protocol/errcodes'
import { errorMessage } from './errors'
import type {
  LoginFailResult,
  LoginOption,
  LoginSuccessResult,
  MidasPaymentGameItemResult,
  RequestMidasPaymentGameItemOption,
  WxPaymentApi,
} from './wxTypes'

type Callbacks<S, F> = { success?: (r: S) => void; fail?: (r: F) => void; complete?: (r: S | F) => void }

/**
 * Builds a `wx` object over a transport, with WeChat's calling convention: with any of
 * success/fail/complete the call returns nothing and reports through them; without, it
 * returns a promise that resolves on success and rejects with the fail result.
 */
export function createWx(transport: HostTransport): WxPaymentApi {
  function invoke<S extends { errMsg: string }, F extends { errMsg: string }>(
    api: 'login' | 'requestMidasPaymentGameItem',
    params: Record<string, unknown>,
    callbacks: Callbacks<S, F>,
    failure: (message: string) => F,
  ): Promise<S> | undefined {
    const settled = transport.call(api, params).then(
      (reply) => ({ ok: reply.ok, result: reply.result as unknown as S & F }),
      (error: unknown) => ({ ok: false, result: failure(`${api}:fail ${errorMessage(error)}`) as S & F }),
    )
    const usesCallbacks = Boolean(callbacks.success || callbacks.fail || callbacks.complete)
    if (usesCallbacks) {
      void settled.then(({ ok, result }) => {
        if (ok) callbacks.success?.(result)
        else callbacks.fail?.(result)
        callbacks.complete?.(result)
      })
      return undefined
    }
    return settled.then(({ ok, result }) => (ok ? result : Promise.reject(result)))
  }

  // The overloads' return type (void or a promise) follows from the option: one body serves both.
  const wx = {
    login(option: LoginOption = {}) {
      const { success, fail, complete, ...params } = option
      return invoke<LoginSuccessResult, LoginFailResult>('login', params, { success, fail, complete }, (errMsg) => ({ errMsg, errno: LOGIN_FAILED_ERRNO }))
    },
    requestMidasPaymentGameItem(option: RequestMidasPaymentGameItemOption) {
      const { success, fail, complete, ...params } = option
      return invoke<MidasPaymentGameItemResult, MidasPaymentGameItemResult>(
        'requestMidasPaymentGameItem',
        params,
        { success: success && ((result) => success(result, result.errCode)), fail, complete },
        (errMsg) => ({ errMsg, errCode: ErrCode.SYSTEM_FAILURE }),
      )
    },
  }
  return wx as WxPaymentApi
}
