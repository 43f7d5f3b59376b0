/**
 * @superapp-sim/game-sdk/browser: the `wx` host calls over postMessage to the simulator's
 * host shell. On a real superapp `wx` is native; `getWx()` returns it.
 */
import { createWx } from '../core/wx'
import type { WxPaymentApi } from '../core/wxTypes'
import { createPostMessageTransport, type PostMessageTransportOptions } from './postMessageTransport'

/**
 * Returns the host's `wx`: the native one inside a real superapp, else a shim that talks
 * to the simulator's host shell.
 *
 * @example
 * const wx = getWx()
 * wx.login({ success: ({ code }) => sendToServer(code) })
 */
export function getWx(options?: PostMessageTransportOptions): WxPaymentApi {
  const native = (globalThis as { wx?: WxPaymentApi }).wx
  if (native && typeof native.requestMidasPaymentGameItem === 'function') return native
  return createWx(createPostMessageTransport(options))
}

export { createPostMessageTransport } from './postMessageTransport'
export type { PostMessageTransportOptions } from './postMessageTransport'
export type { WxPaymentApi } from '../core/wxTypes'
