import { SHEET_ANSWERS, type SheetAnswer, type SheetOpenPayload } from '../protocol/channel'
import { GameSdkError, errorMessage, sdkMessage } from '../core/errors'
import { createGamePayments, type GamePayments } from '../core/payments'
import { createWx } from '../core/wx'
import type { WxPaymentApi } from '../core/wxTypes'
import { hostSocketUrl } from './hostSocketUrl'
import { createWebSocketTransport, describeClose, type CloseInfo, type WebSocketHostTransport } from './webSocketTransport'

/** How a headless player answers a sheet the host leaves to it; see {@link HeadlessPlayerOptions.sheet}. */
export type SheetDecider = (open: SheetOpenPayload) => SheetAnswer | Promise<SheetAnswer>

export interface HeadlessPlayerOptions {
  /** e.g. http://127.0.0.1:7070, or a sandbox: http://127.0.0.1:7070/sandbox/w1 */
  simulatorUrl: string
  appId: string
  playerId: string
  /** How this player answers a sheet the host leaves to the player (host policy `manual`). Default 'confirm'.
   *  'manual' = wait for answerSheet(). A function decides per sheet. */
  sheet?: 'confirm' | 'cancel' | 'manual' | SheetDecider
  /** Connect timeout, default 5000 ms. */
  connectTimeoutMs?: number
}

export interface HeadlessPlayer {
  /** The host's `wx`, with the browser shim's behaviour: callbacks, or a promise when none is given. */
  readonly wx: WxPaymentApi
  /** The typed promise API over `wx` (createGamePayments). */
  readonly payments: GamePayments
  /** Called for every sheet the host opens for this player, whoever answers it. Returns the unsubscribe. */
  onSheet(listener: (open: SheetOpenPayload) => void): () => void
  /** Answers a sheet the host left to the player. Throws if no such sheet is waiting (or it was answered already). */
  answerSheet(orderNo: string, answer: 'confirm' | 'cancel'): void
  /** Resolves when the connection ends, with the close code and reason (4001 'sandbox reset' when the sandbox was reset). */
  readonly closed: Promise<{ code: number; reason: string }>
  close(): Promise<void>
}

/** Close code (application range) used when a `sheet` function throws: its error becomes the pending call's errMsg. */
export const SHEET_DECIDER_FAILED = 4000
/** The WebSocket limit on a close reason. */
const MAX_CLOSE_REASON_BYTES = 123

/**
 * Connects a scripted player to the simulator's host over WebSocket: a mini game's `wx`
 * without a browser, for tests and load. Purchases go through the same host checks and the
 * same sheet policy as in the host shell, and give the same result objects.
 *
 * @example
 * const player = await connectHeadlessPlayer({ simulatorUrl: 'http://127.0.0.1:7070/sandbox/w1', appId, playerId: 'player-1' })
 * const code = await player.payments.login()
 * const order = await myGameServer.createOrder(code, 'gem_pack_small') // signs with the AppKey
 * const result = await player.payments.purchase(order) // { status: 'paid', errMsg: 'requestMidasPaymentGameItem:ok' }
 * await player.close()
 *
 * @example
 * // Answer each sheet yourself:
 * const player = await connectHeadlessPlayer({ simulatorUrl, appId, playerId, sheet: 'manual' })
 * player.onSheet(({ sheet }) => player.answerSheet(sheet.orderNo, sheet.totalPrice > 500 ? 'cancel' : 'confirm'))
 */
export async function connectHeadlessPlayer(options: HeadlessPlayerOptions): Promise<HeadlessPlayer> {
  const policy = checkOptions(options)
  const listeners = new Set<(open: SheetOpenPayload) => void>()
  // Sheets the host is waiting on this player for; an answer removes its sheet, so each is answered once.
  const waiting = new Set<string>()
  // Assigned once connected; the host sends a sheet only after a call, so never read before.
  let transport!: WebSocketHostTransport
  let closeInfo: CloseInfo | undefined

  function send(orderNo: string, answer: SheetAnswer): void {
    waiting.delete(orderNo)
    transport.answerSheet(orderNo, answer)
  }

  function onSheetOpen(open: SheetOpenPayload): void {
    // Before the listeners run, so that a listener may answer the sheet synchronously.
    if (open.answeredBy === 'player') waiting.add(open.sheet.orderNo)
    for (const listener of [...listeners]) {
      try {
        listener(open)
      } catch (error) {
        console.warn(sdkMessage(`an onSheet listener threw: ${errorMessage(error)}`))
      }
    }
    if (open.answeredBy !== 'player' || policy === 'manual') return
    if (typeof policy === 'string') return send(open.sheet.orderNo, policy)
    void Promise.resolve()
      .then(() => policy(open))
      .then((answer) => {
        if (!(SHEET_ANSWERS as readonly unknown[]).includes(answer)) throw new Error(`it returned ${JSON.stringify(answer)}, not 'confirm' or 'cancel'`)
        // A listener may have answered meanwhile, or the connection may be gone: nothing left to say.
        if (waiting.has(open.sheet.orderNo) && !closeInfo) send(open.sheet.orderNo, answer)
      })
      .catch((error: unknown) => {
        // Guessing an answer would hide the bug; ending the connection fails the pending call with this reason.
        void transport.close(SHEET_DECIDER_FAILED, truncateUtf8(`sheet option failed: ${errorMessage(error)}`, MAX_CLOSE_REASON_BYTES))
      })
  }

  transport = await createWebSocketTransport({
    url: hostSocketUrl(options.simulatorUrl, options),
    connectTimeoutMs: options.connectTimeoutMs,
    onSheetOpen,
  })
  const closed = transport.closed.then((info) => {
    closeInfo = info
    waiting.clear()
    return info
  })
  const wx = createWx(transport)

  return {
    wx,
    payments: createGamePayments(wx),
    onSheet(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    answerSheet(orderNo, answer) {
      if (closeInfo) throw new GameSdkError('TRANSPORT_CLOSED', `cannot answer sheet ${orderNo}: ${describeClose(closeInfo)}`)
      if (!(SHEET_ANSWERS as readonly unknown[]).includes(answer)) {
        throw new GameSdkError('INVALID_ARGUMENT', `answerSheet(orderNo, answer): answer must be 'confirm' or 'cancel', got ${JSON.stringify(answer)}`)
      }
      if (!waiting.has(orderNo)) {
        const open = waiting.size ? `sheets waiting: ${[...waiting].join(', ')}` : 'no sheet is waiting'
        throw new GameSdkError(
          'INVALID_ARGUMENT',
          `sheet ${orderNo} is not waiting for this player's answer (${open}). Answer a sheet once, and only when its SHEET_OPEN says answeredBy 'player'; with a sheet option other than 'manual' the player answers by itself.`,
        )
      }
      send(orderNo, answer)
    },
    closed,
    async close() {
      await transport.close(1000, 'player closed')
    },
  }
}

/** Checks the options when connecting, so a typo fails here rather than as a hanging sheet later. */
function checkOptions(options: HeadlessPlayerOptions): 'confirm' | 'cancel' | 'manual' | SheetDecider {
  for (const name of ['simulatorUrl', 'appId', 'playerId'] as const) {
    if (typeof options?.[name] !== 'string' || options[name] === '') {
      throw new GameSdkError('INVALID_ARGUMENT', `connectHeadlessPlayer needs { ${name} } as a non-empty string`)
    }
  }
  const sheet = options.sheet ?? 'confirm'
  if (typeof sheet !== 'function' && !['confirm', 'cancel', 'manual'].includes(sheet)) {
    throw new GameSdkError('INVALID_ARGUMENT', `sheet must be 'confirm', 'cancel', 'manual' or a function, got ${JSON.stringify(sheet)}`)
  }
  return sheet
}

function truncateUtf8(text: string, maxBytes: number): string {
  let end = text.length
  while (Buffer.byteLength(text.slice(0, end)) > maxBytes) end--
  return text.slice(0, end)
}
