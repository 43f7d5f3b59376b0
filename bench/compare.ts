/**
 * `npm run bench:compare old.json new.json`: each ratio's and figure's change between two
 * bench reports, and whether it is outside both spreads (the new median outside the old
 * run's min–max and the old median outside the new run's): only such a change is more than
 * the noise the two runs show themselves.
 *
 * `npm run bench:compare run1.json run2.json run3.json…`: also, run to run, each ratio's
 * median in every run against the median of them all, and whether every one is within ±10%
 * (how the bench itself is judged: three consecutive runs on an idle machine).
 *
 * Exit code 0 when compared, 2 for bad input.
 */
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { METRICS, RATIO_DIGITS, RATIOS, REPORT_VERSION, STABLE_WITHIN_PCT, benchReportSchema, type BenchReport, type RatioName } from './report'
import { median, round, type Spread } from './stats'

export interface Change {
  name: string
  kind: 'ratio' | 'figure'
  label: string
  old: Spread
  new: Spread
  /** (new median ÷ old median − 1) in %. */
  changePct: number
  /** The new median is outside the old min–max and the old median outside the new min–max. */
  outsideBothSpreads: boolean
  /** For figures with a direction (rates up, times down); ratios have none. */
  direction?: 'better' | 'worse'
}

const within = (value: number, spread: Spread) => value >= spread.min && value <= spread.max

function change(name: string, kind: Change['kind'], label: string, before: Spread, after: Spread, better?: 'higher' | 'lower'): Change {
  const changePct = before.median === 0 ? 0 : round((after.median / before.median - 1) * 100, 1)
  const outsideBothSpreads = !within(after.median, before) && !within(before.median, after)
  const result: Change = { name, kind, label, old: before, new: after, changePct, outsideBothSpreads }
  if (better && outsideBothSpreads) result.direction = (after.median > before.median) === (better === 'higher') ? 'better' : 'worse'
  return result
}

/**
 * Every ratio and figure the two reports share, old against new.
 *
 * @example
 * const changes = compareReports(oldReport, newReport)
 * const regressions = changes.filter((c) => c.direction === 'worse')
 */
export function compareReports(before: BenchReport, after: BenchReport): Change[] {
  const changes: Change[] = []
  for (const [name, label] of Object.entries(RATIOS) as Array<[keyof typeof RATIOS, string]>) {
    changes.push(change(name, 'ratio', label, before.ratios[name], after.ratios[name]))
  }
  for (const [name, { label, better }] of Object.entries(METRICS) as Array<[keyof typeof METRICS, (typeof METRICS)[keyof typeof METRICS]]>) {
    changes.push(change(name, 'figure', label, before.metrics[name], after.metrics[name], better))
  }
  return changes
}

/** One ratio over several runs: each run's median against the median of them all. */
export interface RunToRun {
  name: RatioName
  label: string
  medians: number[]
  median: number
  /** The largest distance of a run's median from the median of all, in %. */
  maxDeviationPct: number
  withinLimit: boolean
}

/**
 * Each ratio's medians over several runs, and whether every run is within ±10% of their
 * median: the test the bench must pass on an idle machine.
 *
 * @example
 * const unstable = runToRun([run1, run2, run3]).filter((r) => !r.withinLimit)
 */
export function runToRun(reports: readonly BenchReport[]): RunToRun[] {
  return (Object.entries(RATIOS) as Array<[RatioName, string]>).map(([name, label]) => {
    const medians = reports.map((report) => report.ratios[name].median)
    const mid = median(medians)
    const maxDeviationPct = mid === 0 ? 0 : round(Math.max(...medians.map((m) => Math.abs(m / mid - 1))) * 100, 1)
    return { name, label, medians, median: round(mid, RATIO_DIGITS), maxDeviationPct, withinLimit: maxDeviationPct <= STABLE_WITHIN_PCT }
  })
}

/** What differs in how the two runs were made, which a reader must weigh before the numbers. */
export function settingsDifferences(before: BenchReport, after: BenchReport): string[] {
  const notes: string[] = []
  if (before.mode !== after.mode) notes.push(`mode: ${before.mode} vs ${after.mode}`)
  if (before.settings.storedOrders !== after.settings.storedOrders) notes.push(`stored orders: ${before.settings.storedOrders} vs ${after.settings.storedOrders}`)
  if (before.settings.rounds !== after.settings.rounds) notes.push(`rounds: ${before.settings.rounds} vs ${after.settings.rounds}`)
  const method = (report: BenchReport) =>
    report.settings.slices === undefined
      ? `one ${report.settings.windowSeconds} s window per configuration and round`
      : `${report.settings.slices} interleaved slices of ${report.settings.windowSeconds} s, ${report.settings.settlingRounds ?? 0} settling round(s)${(report.settings.processes ?? 1) > 1 ? `, ${report.settings.processes} processes per configuration` : ''}`
  if (method(before) !== method(after)) notes.push(`method: ${method(before)} vs ${method(after)}`)
  if (before.machine.cpu !== after.machine.cpu || before.machine.cores !== after.machine.cores) notes.push(`machine: ${before.machine.cpu} x${before.machine.cores} vs ${after.machine.cpu} x${after.machine.cores}`)
  if (before.machine.node !== after.machine.node) notes.push(`Node: ${before.machine.node} vs ${after.machine.node}`)
  const busy = (report: BenchReport) => report.load.othersCpuCores?.median ?? report.load.loadavg1.median
  if (Math.abs(busy(before) - busy(after)) >= 0.25) {
    notes.push(`other processes' CPU (cores, or the load average): ${busy(before)} vs ${busy(after)}: a busier machine moves the figures`)
  }
  return notes
}

/** Reads and checks a report, with a message that says what to do when it is not one. */
export async function readReport(file: string): Promise<BenchReport> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: cannot read a JSON bench report (${(error as Error).message})`)
  }
  const version = (json as { version?: unknown })?.version
  if (version !== REPORT_VERSION) {
    throw new Error(`${file}: a bench report of version ${JSON.stringify(version ?? 'none')}, this compare reads version ${REPORT_VERSION} (reports with rounds): run npm run bench again to get one`)
  }
  const parsed = benchReportSchema.safeParse(json)
  if (!parsed.success) throw new Error(`${file}: not a complete bench report: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return parsed.data
}

function formatChange(change: Change): string {
  const spread = (s: Spread) => `${s.median} (${s.min}–${s.max})`
  const sign = change.changePct > 0 ? '+' : ''
  const verdict = change.outsideBothSpreads ? `outside both spreads${change.direction ? `, ${change.direction}` : ''}` : 'within the spreads'
  return `  ${change.label.padEnd(92)} ${spread(change.old).padEnd(26)} → ${spread(change.new).padEnd(26)} ${`${sign}${change.changePct}%`.padStart(8)}   ${verdict}`
}

async function main(argv: string[]): Promise<number> {
  if (argv.length < 2 || argv.some((a) => a.startsWith('-'))) {
    console.error('usage: npm run bench:compare old.json new.json [more.json…]   (reports written by npm run bench)')
    return 2
  }
  let reports: BenchReport[]
  try {
    reports = await Promise.all(argv.map(readReport))
  } catch (error) {
    console.error((error as Error).message)
    return 2
  }
  const before = reports.at(-2)!
  const after = reports.at(-1)!
  if (reports.length > 2) {
    console.log(`run to run: each ratio's median in ${reports.length} runs (${argv.join(', ')}) against the median of them`)
    const rows = runToRun(reports)
    const mediansWidth = Math.max(...rows.map((row) => row.medians.join('  ').length)) + 2
    for (const row of rows) {
      console.log(`  ${row.label.padEnd(92)} ${row.medians.join('  ').padEnd(mediansWidth)} median ${String(row.median).padEnd(6)} ±${row.maxDeviationPct}%${row.withinLimit ? '' : `   over ±${STABLE_WITHIN_PCT}%`}`)
    }
    const over = rows.filter((r) => !r.withinLimit)
    console.log(`${over.length === 0 ? 'every ratio' : `${rows.length - over.length} of ${rows.length} ratios`} within ±${STABLE_WITHIN_PCT}% of the median of the runs${over.length ? `; not: ${over.map((r) => r.name).join(', ')}` : ''}`)
    console.log(`\nthe last two runs, ${argv.at(-2)} → ${argv.at(-1)}:`)
  }
  console.log(`old: ${argv.at(-2)} (${before.startedAt}, ${before.mode}, ${before.settings.rounds} rounds)\nnew: ${argv.at(-1)} (${after.startedAt}, ${after.mode}, ${after.settings.rounds} rounds)`)
  for (const note of settingsDifferences(before, after)) console.log(`note: ${note}`)
  if (before.settings.rounds === 1 || after.settings.rounds === 1) console.log('note: a report of one round (--quick) has no spread: every change shows as outside it')
  const changes = compareReports(before, after)
  console.log('\nratios: old median (min–max) → new median (min–max), change')
  for (const c of changes.filter((c) => c.kind === 'ratio')) console.log(formatChange(c))
  console.log('\nfigures')
  for (const c of changes.filter((c) => c.kind === 'figure')) console.log(formatChange(c))
  const outside = changes.filter((c) => c.outsideBothSpreads)
  console.log(`\n${outside.length} of ${changes.length} changed by more than both runs' spreads${outside.length ? `: ${outside.map((c) => c.name).join(', ')}` : ''}`)
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2))
}
