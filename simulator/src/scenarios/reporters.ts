import path from 'node:path'
import type { ScenarioProblem } from './loader'
import { formatProblem } from './loader'
import type { RunSummary, ScenarioResult } from './runner'
import type { Scenario } from './schema'

/** Where reports go: a stream, and whether it is a terminal (then a status line is redrawn in place). */
export interface ReportStream {
  write(text: string): unknown
  isTTY?: boolean
}

const LABEL = { passed: 'PASS', failed: 'FAIL', error: 'ERROR' } as const

/** A scenario file as reports name it: relative to `baseDir`, with forward slashes. */
export const relativeFile = (file: string, baseDir: string) => (path.relative(baseDir, file) || file).split(path.sep).join('/')
const secondsText = (ms: number) => `${(ms / 1000).toFixed(2)}s`

/**
 * Where and why a scenario failed, one line each: `<where>: <message>`, then `expected:` and
 * `actual:` when the failure has them. The console and the JUnit report both print these.
 */
export function failureLines(result: ScenarioResult, baseDir: string): string[] {
  const { failure } = result
  if (!failure) return []
  const where = failure.stepIndex === undefined ? 'while setting up' : `step ${failure.stepIndex + 1} ${failure.stepKind} (${relativeFile(result.scenario.file, baseDir)}:${failure.line})`
  return [
    `${where}: ${failure.message}`,
    ...(failure.expected !== undefined ? [`expected: ${failure.expected}`] : []),
    ...(failure.actual !== undefined ? [`actual:   ${failure.actual}`] : []),
  ]
}

/** Where and why a scenario failed, over several lines, indented. */
export function formatFailure(result: ScenarioResult, baseDir: string, indent = '      '): string {
  return failureLines(result, baseDir)
    .map((line) => `${indent}${line}`)
    .join('\n')
}

/** One line per finished scenario, with the reason below it when it failed. */
export function formatResultLine(result: ScenarioResult, baseDir: string): string {
  const head = `${LABEL[result.status].padEnd(5)} ${result.scenario.name}  (${relativeFile(result.scenario.file, baseDir)}, ${secondsText(result.durationMs)})`
  return result.failure ? `${head}\n${formatFailure(result, baseDir)}` : head
}

/**
 * Prints progress while scenarios run: a line per finished scenario (any stream) and, on a
 * terminal, a status line of what is running, redrawn in place.
 */
export function createProgressReporter(stream: ReportStream, total: number, baseDir = process.cwd()) {
  const running = new Map<number, Scenario>()
  let done = 0
  const tty = Boolean(stream.isTTY)
  const status = () => {
    if (!tty || running.size === 0) return
    const names = [...running.values()].map((s) => s.name).join(', ')
    const line = `[${done}/${total}] running: ${names}`
    const width = (stream as { columns?: number }).columns ?? 100
    stream.write(line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line)
  }
  const clear = () => tty && stream.write('\r\x1b[K')
  return {
    start(scenario: Scenario, index: number): void {
      running.set(index, scenario)
      clear()
      status()
    },
    end(result: ScenarioResult, index: number): void {
      running.delete(index)
      done += 1
      clear()
      stream.write(`${formatResultLine(result, baseDir)}\n`)
      status()
    },
  }
}

/** The closing table: one row per scenario, then the totals. */
export function formatSummaryTable(summary: RunSummary, baseDir = process.cwd()): string {
  const rows = summary.results.map((r) => [
    LABEL[r.status],
    r.scenario.name,
    relativeFile(r.scenario.file, baseDir),
    secondsText(r.durationMs),
    r.failure ? (r.failure.stepIndex === undefined ? 'setting up' : `step ${r.failure.stepIndex + 1} ${r.failure.stepKind} (line ${r.failure.line})`) : '',
  ])
  const header = ['Result', 'Scenario', 'File', 'Time', 'Failed at']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const render = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  const total = summary.results.length
  return [
    render(header),
    render(widths.map((w) => '-'.repeat(w))),
    ...rows.map(render),
    '',
    `${total} scenario${total === 1 ? '' : 's'}: ${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors in ${secondsText(summary.durationMs)}`,
  ].join('\n')
}

/** The loader's problems, one per line, followed by a count. */
export function formatProblems(problems: readonly ScenarioProblem[]): string {
  const files = new Set(problems.map((p) => p.file)).size
  return `${problems.map(formatProblem).join('\n')}\n\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}: nothing was run.\n`
}
