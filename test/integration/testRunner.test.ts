import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

/**
 * `npm test`, exactly as package.json declares it, runs in a temporary package (a copy of
 * scripts/, the repo's node_modules linked) whose runners are small node commands standing
 * in for tsc, vitest and Playwright: each writes what the real one would (a JSON report,
 * or nothing when it "crashes") and records that it ran.
 */
const root = path.resolve(import.meta.dirname, '../..')
const npmTest = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.test!
const run = promisify(execFile)

/** A node one-liner as a package.json script: records that it ran, maybe writes a report, exits. */
function fakeRunner(name: string, exitCode: number, report?: { file: string; json: unknown }) {
  const write = report ? `fs.writeFileSync(${JSON.stringify(`.reports/${report.file}`)}, ${JSON.stringify(JSON.stringify(report.json))});` : ''
  return `node -e ${JSON.stringify(`const fs = require('fs'); fs.appendFileSync('ran.txt', '${name}\\n'); ${write} process.exit(${exitCode})`)}`
}

async function runSuite(scripts: Record<string, string>, staleReports: Record<string, unknown> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'sim-npm-test-'))
  try {
    return await runSuiteIn(dir, scripts, staleReports)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function runSuiteIn(dir: string, scripts: Record<string, string>, staleReports: Record<string, unknown>) {
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'fake-suite', private: true, type: 'module', scripts: { test: npmTest, ...scripts } }))
  await cp(path.join(root, 'scripts'), path.join(dir, 'scripts'), { recursive: true })
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  await mkdir(path.join(dir, '.reports'))
  for (const [file, json] of Object.entries(staleReports)) await writeFile(path.join(dir, '.reports', file), JSON.stringify(json))
  const outcome = await run('npm', ['test'], { cwd: dir }).then(
    ({ stdout, stderr }) => ({ exitCode: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ exitCode: error.code, stdout: error.stdout, stderr: error.stderr }),
  )
  if (!existsSync(path.join(dir, '.reports', 'summary.json'))) throw new Error(`npm test wrote no summary (exit ${outcome.exitCode}):\n${outcome.stdout}\n${outcome.stderr}`)
  const ran = existsSync(path.join(dir, 'ran.txt')) ? (await readFile(path.join(dir, 'ran.txt'), 'utf8')).split('\n').filter(Boolean) : []
  const summary = JSON.parse(await readFile(path.join(dir, '.reports', 'summary.json'), 'utf8'))
  return { ...outcome, ran, summary, lastLine: outcome.stdout.trim().split('\n').at(-1) }
}

const passingPlaywright = { stats: { expected: 26, unexpected: 0, flaky: 0, skipped: 1 } }

describe('npm test runs every runner and totals them', () => {
  it('runs Playwright after a failing unit test, reports both, and exits 1', { timeout: 300_000 }, async () => {
    const result = await runSuite({
      typecheck: fakeRunner('typecheck', 0),
      'lint:deps': fakeRunner('boundaries', 0),
      'test:unit': fakeRunner('vitest', 1, { file: 'vitest.json', json: { numPassedTests: 572, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0 } }),
      'test:e2e': fakeRunner('playwright', 0, { file: 'playwright.json', json: passingPlaywright }),
    })
    expect(result.ran).toEqual(['typecheck', 'boundaries', 'vitest', 'playwright'])
    expect(result.exitCode).toBe(1)
    expect(result.lastLine).toBe('598 passed, 1 failed, 1 skipped')
    expect(result.summary).toMatchObject({ line: '598 passed, 1 failed, 1 skipped', failed: true })
  })

  it('counts a runner that crashed before writing its report, or exited non-zero with no failed test, as one failure', { timeout: 300_000 }, async () => {
    const result = await runSuite(
      {
        typecheck: fakeRunner('typecheck', 2),
        // An import cycle or an unused export: the boundary checks fail without tests.
        'lint:deps': fakeRunner('boundaries', 1),
        // An error outside any test (a file that failed to load): a report without a failed test, and exit 1.
        'test:unit': fakeRunner('vitest', 1, { file: 'vitest.json', json: { numPassedTests: 10, numFailedTests: 0, numPendingTests: 2, numTodoTests: 1 } }),
        // Crashed before writing its report: the one left from an earlier run must not count.
        'test:e2e': fakeRunner('playwright', 1),
      },
      { 'playwright.json': passingPlaywright },
    )
    expect(result.ran).toEqual(['typecheck', 'boundaries', 'vitest', 'playwright'])
    expect(result.exitCode).toBe(1)
    expect(result.lastLine).toBe('10 passed, 4 failed, 3 skipped')
    expect(result.summary.runners.map((r: { runner: string; failed: number }) => [r.runner, r.failed])).toEqual([['typecheck', 1], ['boundaries', 1], ['vitest', 1], ['playwright', 1]])
  })

  it('exits 0 when every runner passed', { timeout: 300_000 }, async () => {
    const result = await runSuite({
      typecheck: fakeRunner('typecheck', 0),
      'lint:deps': fakeRunner('boundaries', 0),
      'test:unit': fakeRunner('vitest', 0, { file: 'vitest.json', json: { numPassedTests: 5, numFailedTests: 0 } }),
      'test:e2e': fakeRunner('playwright', 0, { file: 'playwright.json', json: passingPlaywright }),
    })
    expect(result.exitCode).toBe(0)
    expect(result.lastLine).toBe('31 passed, 0 failed, 1 skipped')
  })
})
