/**
 * The bench's arithmetic: percentiles of one measurement's samples, and the median with its min
 * and max over rounds (the spread a reader judges a figure by).
 */

/** The p-th percentile (nearest rank) of values sorted ascending; 0 for none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** The p-th percentile (nearest rank) of values in any order; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), p)
}

/** The median: the mean of the two middle values for an even count; 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** A figure measured once per round: its median, min and max, and every round's value. */
export interface Spread {
  median: number
  min: number
  max: number
  /** The larger distance from the median to min or max, in % of the median. */
  spreadPct: number
  rounds: number[]
}

/** The spread of one figure over rounds (in measurement order). */
export function spreadOf(rounds: readonly number[], digits = 2): Spread {
  const mid = median(rounds)
  const min = Math.min(...rounds)
  const max = Math.max(...rounds)
  const spreadPct = mid === 0 ? 0 : (Math.max(mid - min, max - mid) / Math.abs(mid)) * 100
  return { median: round(mid, digits), min: round(min, digits), max: round(max, digits), spreadPct: round(spreadPct, 1), rounds: rounds.map((r) => round(r, digits)) }
}

/** `1.23 (1.10–1.31, ±6.5%)`: how the bench prints a spread. */
export function formatSpread(spread: Pick<Spread, 'median' | 'min' | 'max' | 'spreadPct' | 'rounds'>, unit = ''): string {
  if (spread.rounds.length <= 1) return `${spread.median}${unit} (1 round)`
  return `${spread.median}${unit} (${spread.min}–${spread.max}, ±${spread.spreadPct}%)`
}
