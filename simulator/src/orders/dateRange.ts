import { SimulatorError } from '../errors'

const DAY_MS = 24 * 3600 * 1000
export const DEFAULT_RANGE_DAYS = 7
export const MAX_RANGE_MONTHS = 12

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

function parseDay(field: string, value: string): number {
  const ms = Date.parse(`${value}T00:00:00.000Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(ms) || utcDay(ms) !== value) {
    throw new SimulatorError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD, got "${value}"`)
  }
  return ms
}

/** The same calendar day 12 months before `today` (clamped to the month's last day). */
function monthsBefore(todayMs: number, months: number): number {
  const d = new Date(todayMs)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), lastDay))
}

export interface DayRange {
  from: string
  to: string
  /** Inclusive start and exclusive end, in ms. */
  startMs: number
  endMs: number
}

/**
 * The after-sales rule of the seed: dates of refund initiation, by default the last 7
 * days (today included), never reaching back more than 12 months. "Today" is the
 * simulator clock's, so QA can test the edges.
 */
export function afterSalesRange(nowMs: number, from?: string, to?: string): DayRange {
  const today = parseDay('today', utcDay(nowMs))
  const toMs = to ? parseDay('to', to) : today
  const fromMs = from ? parseDay('from', from) : toMs - (DEFAULT_RANGE_DAYS - 1) * DAY_MS
  if (fromMs > toMs) throw new SimulatorError('VALIDATION_FAILED', `from (${utcDay(fromMs)}) is after to (${utcDay(toMs)})`)
  const earliest = monthsBefore(today, MAX_RANGE_MONTHS)
  if (fromMs < earliest) {
    throw new SimulatorError('VALIDATION_FAILED', `the range reaches back more than ${MAX_RANGE_MONTHS} months: the earliest from date is ${utcDay(earliest)}`)
  }
  return { from: utcDay(fromMs), to: utcDay(toMs), startMs: fromMs, endMs: toMs + DAY_MS }
}

/** An optional order-date range: no limit, both ends optional. */
export function optionalRange(from?: string, to?: string): { startMs: number; endMs: number } {
  const startMs = from ? parseDay('from', from) : -Infinity
  const endMs = to ? parseDay('to', to) + DAY_MS : Infinity
  if (startMs >= endMs) throw new SimulatorError('VALIDATION_FAILED', `from (${from}) is after to (${to})`)
  return { startMs, endMs }
}
