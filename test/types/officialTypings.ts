/**
 * A type test, run by `npm run typecheck` (a failure here fails `npm test`): the `wx` this
 * project gives a game must stand in for the platform's own declarations, Tencent's
 * minigame-api-typings 3.8.20, and the usage examples printed in those typings must
 * compile against it unchanged. One deliberate difference: the typings type `signData` as
 * an object, while the documents and the host want the JSON string the server signed
 * (docs/protocol.md, "signData"), so the project follows the documents.
 */
/// <reference path="../../node_modules/minigame-api-typings/types/wx/lib.wx.api.d.ts" />
import type { WxPaymentApi } from '@superapp-sim/game-sdk'

// The typings' index.d.ts declares these helpers beside globals (`wx`, `console`,
// `require`) that would clash with the DOM's, so only lib.wx.api.d.ts is referenced and the
// two helpers its declarations use are restated here, as index.d.ts has them.
declare global {
  namespace WechatMinigame {
    interface AsyncMethodOptionLike {
      success?: (...args: any[]) => void
    }
    type PromisifySuccessResult<P, T extends AsyncMethodOptionLike> = P extends { success: any }
      ? void
      : P extends { fail: any }
        ? void
        : P extends { complete: any }
          ? void
          : Promise<Parameters<Exclude<T['success'], undefined>>[0]>
  }
}

declare const wx: WxPaymentApi
declare const signData: string
declare const paySig: string
declare const signature: string

// 1. Each API the project provides is assignable to the official declaration.
export const login: WechatMinigame.Wx['login'] = wx.login
type OfficialPaymentOption = Omit<WechatMinigame.RequestMidasPaymentGameItemOption, 'signData'> & { signData: string }
export const requestMidasPaymentGameItem: (option: OfficialPaymentOption) => void = wx.requestMidasPaymentGameItem
// The results the project passes are the official shapes.
export const loginFail: WechatMinigame.LoginFailCallback = (error) => wx.login({ fail: (mine) => void ((mine satisfies WechatMinigame.LoginFailCallbackErr), error) })
export const paymentResult = (mine: Parameters<NonNullable<Parameters<WxPaymentApi['requestMidasPaymentGameItem']>[0]['fail']>>[0]): WechatMinigame.MidasPaymentError => mine

// 2. The typings' own examples (wx.login, wx.requestMidasPaymentGameItem), verbatim.
wx.login({
  success(res) {
    if (res.code) {
      // 发起网络请求 (the example calls wx.request with res.code here)
      void res.code
    } else {
      console.log('登录失败！' + res.errMsg)
    }
  },
})
wx.requestMidasPaymentGameItem({
  signData: '{"mode":"goods","offerId":"123","buyQuantity":1,"env":0,"currencyType":"CNY","platform":"android","zoneId":"1","productId":"testproductId","goodsPrice":10,"outTradeNo":"xxxxxx","attach":"testdata"}',
  paySig: 'd0b8bbccbe34ed11549bcfd6602b08711f4acc0965253a949cd6a2b895152f9d',
  signature: 'd0b8bbccbe34ed11549bcfd6602b08711f4acc0965253a949cd6a2b895152f9d',
  success(res, errCode) {
    console.log('pay', res, errCode)
  },
  fail({ errMsg, errCode }) {
    console.error(errMsg, errCode)
  },
})

// 3. Overloads as in the typings: a promise without callbacks, nothing with them.
export async function withoutCallbacks(): Promise<[string, number]> {
  const { code } = await wx.login()
  const { errCode } = await wx.requestMidasPaymentGameItem({ signData, paySig, signature })
  return [code, errCode]
}
export const withCallbacks: void = wx.login({ success: () => {} })
// @ts-expect-error: with a callback the call returns nothing to chain on
wx.login({ fail: () => {} }).then(() => {})
// @ts-expect-error: signData is the JSON string the server signed, not an object (errCode -15011 at run time)
wx.requestMidasPaymentGameItem({ signData: { mode: 'goods' }, paySig, signature })
