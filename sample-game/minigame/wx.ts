/**
 * The host's globals, typed by Tencent's minigame-api-typings (its WechatMinigame
 * namespace only: its global declarations would clash with the DOM's in this project).
 */
/// <reference path="../../node_modules/minigame-api-typings/types/wx/lib.wx.api.d.ts" />

const scope = globalThis as unknown as { wx: WechatMinigame.Wx; GameGlobal: Record<string, unknown> }

export const wx = scope.wx
/** The mini game's global object. */
export const GameGlobal = scope.GameGlobal
