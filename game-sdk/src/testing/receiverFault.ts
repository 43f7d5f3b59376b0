import type { RequestHandler } from 'express'

/**
 * How a game server's delivery receiver misbehaves on purpose, so the host's retries can be
 * watched: `down` answers HTTP 503, `wrong-body` answers 200 with a body that is not the SAS
 * success reply, `slow` answers late (after the host's 3 s attempt timeout by default).
 * `ok` lets every notification through to the real handler.
 */
export const RECEIVER_FAULT_MODES = ['ok', 'down', 'wrong-body', 'slow'] as const
export type ReceiverFaultMode = (typeof RECEIVER_FAULT_MODES)[number]

/** What the switch does now. */
export interface ReceiverFaultState {
  mode: ReceiverFaultMode
  /** How many more notifications get the fault; null: every one until the switch is set again. */
  remaining: number | null
  /** For `slow`: how late each answer is, in real milliseconds. */
  delayMs: number
}

/** One receiver-fault switch, set by a test, a scenario or a demo. */
export interface ReceiverFault {
  /**
   * Sets the fault. With `count`, the next `count` notifications get it and the switch is
   * `ok` again after them; without, every notification until the next call.
   */
  set(mode: ReceiverFaultMode, options?: { count?: number; delayMs?: number }): ReceiverFaultState
  /** Answer HTTP 503 to the next `count` notifications. */
  failNext(count: number): void
  /** Answer HTTP 503 to every notification until up(). */
  down(): void
  /** Back to normal: every notification reaches the handler at once. */
  up(): void
  /** Answer every notification `ms` real milliseconds late until up() (the host gives up after 3 s). */
  slow(ms: number): void
  state(): ReceiverFaultState
  /**
   * Express middleware to mount in front of the delivery handler. When it forces an answer
   * (a 503 or a wrong body) it sets `res.locals.receiverFault` to the mode, so a recorder can
   * tell a forced failure from the handler's own refusal.
   */
  middleware: RequestHandler
}

/** Later than the host's 3 s attempt timeout (docs/protocol.md), so a `slow` answer counts as a timeout. */
export const SLOW_RECEIVER_DELAY_MS = 3500

/**
 * A receiver-fault switch for a game server's delivery route: the delivery handler behind it
 * stays the real one.
 *
 * @example
 * const fault = createReceiverFault()
 * app.post('/delivery', fault.middleware, createDeliveryHandler({ appKey, deliver }))
 * fault.failNext(2) // the host's first two attempts get HTTP 503, the third is delivered
 */
export function createReceiverFault(): ReceiverFault {
  let current: ReceiverFaultState = { mode: 'ok', remaining: null, delayMs: 0 }
  const set: ReceiverFault['set'] = (mode, options = {}) => {
    current = {
      mode,
      remaining: mode === 'ok' ? null : (options.count ?? null),
      delayMs: mode === 'slow' ? (options.delayMs ?? SLOW_RECEIVER_DELAY_MS) : 0,
    }
    return { ...current }
  }
  /** The fault this notification gets, one counted off. */
  const take = (): ReceiverFaultState => {
    const taken = { ...current }
    if (current.remaining !== null) {
      current.remaining -= 1
      if (current.remaining <= 0) set('ok')
    }
    return taken
  }
  return {
    set,
    failNext: (count) => void set('down', { count }),
    down: () => void set('down'),
    up: () => void set('ok'),
    slow: (ms) => void set('slow', { delayMs: ms }),
    state: () => ({ ...current }),
    middleware: (_req, res, next) => {
      const fault = take()
      if (fault.mode === 'ok') return next()
      if (fault.mode === 'slow') return void setTimeout(() => next(), fault.delayMs)
      res.locals.receiverFault = fault.mode
      if (fault.mode === 'down') return void res.status(503).json({ returnCode: '1', returnMessage: 'receiver down (test switch)', data: '' })
      res.json({ ok: true })
    },
  }
}
