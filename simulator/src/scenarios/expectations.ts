import type { MidasPaymentGameItemResult } from '@superapp-sim/game-sdk'
import { SimulatorError } from '../errors'
import type { QaOrder } from './sandboxControl'
import { formatDuration, orderStatusName } from './schema'

/**
 * What a failed expectation says: the error (EXPECTATION_FAILED, with what was expected and
 * what happened, for reports), and the texts the steps compare and describe with. Kept
 * apart from the steps so the wording of every failure is in one place.
 */

/** Raised when an expectation does not hold; `expected` and `actual` travel as its cause. */
export function expectationFailed(message: string, expected?: string, actual?: string): SimulatorError {
  return new SimulatorError('EXPECTATION_FAILED', message, { cause: { expected, actual } })
}

/** What an EXPECTATION_FAILED error expected and what happened (empty for any other error). */
export function expectationOf(error: unknown): { expected?: string; actual?: string } {
  if (!(error instanceof SimulatorError) || error.code !== 'EXPECTATION_FAILED') return {}
  const { expected, actual } = (error.cause ?? {}) as { expected?: string; actual?: string }
  return { ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) }
}

export function expectErrCode(what: string, expected: number, got: MidasPaymentGameItemResult): void {
  if (got.errCode === expected) return
  throw expectationFailed(`${what} ended with errCode ${got.errCode} (${got.errMsg}), expected ${expected}`, `errCode ${expected}`, `errCode ${got.errCode}: ${got.errMsg}`)
}

/** An order's delivery as a failure message tells it: attempts, the last outcome, and what to do (advance the clock?). */
export function describeDelivery(order: QaOrder | undefined, received: number, notification: QaOrder['notifications'][number] | undefined): string {
  if (!order) return 'no order'
  const status = orderStatusName(order.status)
  if (!notification) return `order ${status}, no delivery notification`
  const last = notification.attempts.at(-1)
  const lastText = last ? `, last ${last.outcome}${last.status ? ` (HTTP ${last.status})` : last.error ? ` (${last.error})` : ''}` : ''
  const next = notification.nextAttemptAt && order.paidAt ? `; next attempt due ${formatDuration(Math.max(0, Date.parse(notification.nextAttemptAt) - Date.parse(order.paidAt)))} after payment: advance the clock?` : ''
  return `order ${status}, ${notification.attempts.length} host attempt(s)${lastText}, ${received} received by the game server${notification.state === 'failed' ? ', the host gave up' : next}`
}

/** Undefined when `actual` contains `expected` (objects by subset, arrays element by element); else where it differs. */
export function jsonMismatch(expected: unknown, actual: unknown, at: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at} is ${JSON.stringify(actual)}, expected an array`
    if (actual.length !== expected.length) return `${at} has ${actual.length} element(s), expected ${expected.length}`
    for (let i = 0; i < expected.length; i++) {
      const inner = jsonMismatch(expected[i], actual[i], `${at}[${i}]`)
      if (inner) return inner
    }
    return undefined
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at} is ${JSON.stringify(actual)}, expected an object`
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key} is missing`
      const inner = jsonMismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`)
      if (inner) return inner
    }
    return undefined
  }
  return Object.is(expected, actual) ? undefined : `${at} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`
}
