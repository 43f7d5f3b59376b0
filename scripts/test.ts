/**
 * `npm test`: the whole suite. Runs every runner (type-check, boundaries, vitest, Playwright) even when
 * an earlier one failed, so a red unit test never hides the browser suite's result; then
 * totals them into one line `N passed, N failed, N skipped`, writes it with each runner's
 * figures to `.reports/summary.json` (what `.ci/run` prints), and exits 1 if any failed.
 *
 * A runner that exits non-zero but reports no failed test (it crashed, a file failed to
 * load, its report is missing or unreadable) counts as one failure, never as 0 tests.
 * Arguments after `--` are not taken: run one runner alone with `npm run test:unit` or
 * `npm run test:e2e`.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

// npm runs scripts in the package's folder; the test of this script runs it in a temp one.
const root = process.cwd()
const reports = path.join(root, '.reports')

/** What one runner contributed to the totals. */
interface RunnerResult {
  runner: string
  exitCode: number
  passed: number
  failed: number
  skipped: number
  /** Why the counts are not the runner's own (no report, a crash): shown beside its line. */
  note?: string
}

interface Runner {
  name: string
  /** The package.json script that runs it: one definition of each runner's command. */
  script: string
  /** The runner's JSON report, removed before it runs so a stale one is never read. */
  report?: string
  count?: (report: unknown) => Omit<RunnerResult, 'runner' | 'exitCode' | 'note'>
}

interface VitestReport {
  numPassedTests?: number
  numFailedTests?: number
  numPendingTests?: number
  numTodoTests?: number
}
interface PlaywrightReport {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number }
}

const RUNNERS: Runner[] = [
  { name: 'typecheck', script: 'typecheck' },
  // dependency-cruiser (cycles, layers) and knip (unused files, exports, dependencies): no tests, a failure when either reports.
  { name: 'boundaries', script: 'lint:deps' },
  {
    name: 'vitest',
    script: 'test:unit',
    report: 'vitest.json',
    count: (report) => {
      const r = report as VitestReport
      return { passed: r.numPassedTests ?? 0, failed: r.numFailedTests ?? 0, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) }
    },
  },
  {
    name: 'playwright',
    script: 'test:e2e',
    report: 'playwright.json',
    count: (report) => {
      const s = (report as PlaywrightReport).stats ?? {}
      // A test that passed only on a retry is still a pass of the suite (retries are 0 here).
      return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 }
    },
  },
]

function readReport(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** Turns a runner's exit code and report into its counts; a non-zero exit always shows as a failure. */
function judgeRunner(name: string, exitCode: number, report: unknown, count?: Runner['count']): RunnerResult {
  if (!count) {
    // The type-check and the boundary checks have no tests: a failure when they fail, nothing when they pass.
    return { runner: name, exitCode, passed: 0, failed: exitCode === 0 ? 0 : 1, skipped: 0 }
  }
  if (report === undefined) {
    return { runner: name, exitCode, passed: 0, failed: 1, skipped: 0, note: 'wrote no readable report (it crashed or was killed): counted as 1 failure' }
  }
  const counts = count(report)
  if (exitCode !== 0 && counts.failed === 0) {
    return { runner: name, exitCode, ...counts, failed: 1, note: `exited with ${exitCode} without a failed test in its report (an error outside a test): counted as 1 failure` }
  }
  return { runner: name, exitCode, ...counts }
}

/** The one totals line CI reads. */
function totalsLine(results: RunnerResult[]): string {
  const sum = (key: 'passed' | 'failed' | 'skipped') => results.reduce((total, r) => total + r[key], 0)
  return `${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`
}

function main(): number {
  mkdirSync(reports, { recursive: true })
  rmSync(path.join(reports, 'summary.json'), { force: true })
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const results: RunnerResult[] = []
  for (const runner of RUNNERS) {
    const reportFile = runner.report ? path.join(reports, runner.report) : undefined
    if (reportFile) rmSync(reportFile, { force: true })
    console.log(`\n[test] ${runner.name}: npm run ${runner.script}`)
    const started = Date.now()
    const run = spawnSync(npm, ['run', '--silent', runner.script], { cwd: root, stdio: 'inherit' })
    // Killed by a signal (or not started at all): no exit code, a failure all the same.
    const exitCode = run.status ?? 1
    const result = judgeRunner(runner.name, exitCode, reportFile ? readReport(reportFile) : undefined, runner.count)
    results.push(result)
    console.log(`[test] ${runner.name}: exit ${exitCode}${run.signal ? ` (${run.signal})` : ''} after ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  console.log('')
  for (const r of results) {
    console.log(`[test] ${r.runner.padEnd(10)} ${r.exitCode === 0 && r.failed === 0 ? 'ok  ' : 'FAIL'}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.note ? `  (${r.note})` : ''}`)
  }
  const line = totalsLine(results)
  const failed = results.some((r) => r.exitCode !== 0 || r.failed > 0)
  writeFileSync(path.join(reports, 'summary.json'), `${JSON.stringify({ line, failed, runners: results }, null, 2)}\n`)
  console.log(line)
  return failed ? 1 : 0
}

process.exitCode = main()
