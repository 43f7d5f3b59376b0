/**
 * "Did you mean …?" for scenario files: the closest known name by edit distance, offered
 * only when it is close enough to be the likely intent (a typo, not another word).
 */

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbours ("expcet"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[rows - 1]![cols - 1]!
}

/**
 * The known name closest to `input`, compared case-insensitively, or undefined when none is
 * within a third of the input's length (at least 2 edits are always allowed).
 *
 * @example
 * closestName('expectDelivry', ['expectDelivery', 'expectOrder']) // 'expectDelivery'
 */
export function closestName(input: string, known: readonly string[]): string | undefined {
  const wanted = input.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(wanted, name.toLowerCase())
    if (!best || distance < best.distance) best = { name, distance }
  }
  if (!best) return undefined
  const allowed = Math.max(2, Math.floor(input.length / 3))
  return best.distance <= allowed ? best.name : undefined
}

/** "did you mean X?" or, when nothing is close, the list of what is allowed. */
export function didYouMean(input: string, known: readonly string[], noun = 'one of'): string {
  const closest = closestName(input, known)
  if (closest) return `did you mean ${closest}?`
  return `${noun} ${known.join(', ')}`
}
