/**
 * The messages between the host shell page and the mini game runtime's worker: one typed
 * map each way, `{type, …}`, unpacked by type in one place on each side. The game's host
 * calls (wx.login, wx.requestMidasPaymentGameItem) do not travel here: they keep game-sdk's
 * own HOST_CALL / HOST_RESULT envelope (game-sdk/src/core/channel.ts).
 */
import type { MiniGameConfig } from '../../minigameConfig'
import type { WxTouch } from './worker/wechatTypes'

/** A touch point in the package's coordinate space (CSS pixels of the game's screen): the platform's Touch. */
export type GameTouch = WxTouch

export type TouchKind = 'touchstart' | 'touchmove' | 'touchend' | 'touchcancel'

/** What wx.getSystemInfoSync / wx.getWindowInfo report, decided by the shell's screen. */
export interface RuntimeSystem {
  screenWidth: number
  screenHeight: number
  windowWidth: number
  windowHeight: number
  pixelRatio: number
  statusBarHeight: number
  language: string
}

/** The launch: everything the worker needs before it runs game.js. */
export interface BootMessage {
  type: 'BOOT'
  /** Absolute URL of the package folder, ending in '/'. */
  packageBase: string
  /** The shell's canvas, handed over: the first wx.createCanvas(). */
  canvas: OffscreenCanvas
  config: MiniGameConfig
  system: RuntimeSystem
  appId: string
  /** The player's storage for this game, as stored. */
  storage: Record<string, unknown>
  launchQuery: Record<string, string>
  /** Bytes of the main package already known to the shell (a folder's manifest), else undefined: counted as loaded. */
  mainPackageBytes?: number
}

export type PageToWorker =
  | BootMessage
  | { type: 'TOUCH'; kind: TouchKind; touches: GameTouch[]; changedTouches: GameTouch[]; timeStamp: number }
  | { type: 'VISIBILITY'; visible: boolean }
  /** The answer to a CALL. */
  | { type: 'REPLY'; id: number; ok: boolean; result: Record<string, unknown> }

/** Runtime services the worker asks the page for. */
export type RuntimeCallApi = 'request' | 'abortRequest' | 'showModal' | 'showToast' | 'hideToast' | 'showLoading' | 'hideLoading'

export type PanelLevel = 'info' | 'ok' | 'fail'

export type WorkerToPage =
  | { type: 'CALL'; id: number; api: RuntimeCallApi; params: Record<string, unknown> }
  | { type: 'STORAGE'; op: 'set'; key: string; value: unknown }
  | { type: 'STORAGE'; op: 'remove'; key: string }
  | { type: 'STORAGE'; op: 'clear' }
  /** One line in the host shell's event panel (and the page's console for failures). */
  | { type: 'PANEL'; level: PanelLevel; what: string; detail: string }
  /** game.js ran to its end (or threw): the game is up. */
  | { type: 'STARTED' }
  /** The runtime refuses to go on (package too big, game.js missing). */
  | { type: 'FATAL'; message: string }

/** Prefix of the worker's sourceURLs, so stack traces read `minigame:///game.js:12`. */
export const PACKAGE_SOURCE_SCHEME = 'minigame:///'
