/**
 * The platform's own types for the shapes the runtime returns (Tencent's
 * minigame-api-typings, lib.wx.api.d.ts): only its WechatMinigame namespace is brought in,
 * not its globals (`wx`, `console`, `require`), which would clash with the DOM's.
 */
/// <reference path="../../../../../../node_modules/minigame-api-typings/types/wx/lib.wx.api.d.ts" />

export type WxSystemInfo = WechatMinigame.SystemInfo
export type WxWindowInfo = WechatMinigame.WindowInfo
export type WxTouch = WechatMinigame.Touch
