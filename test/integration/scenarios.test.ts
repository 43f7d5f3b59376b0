import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_GAME } from '../../sample-game/shared/catalog'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { loadScenarios } from '../../simulator/src/scenarios/loader'
import { formatSummaryTable } from '../../simulator/src/scenarios/reporters'
import { runScenarios, type RunSummary } from '../../simulator/src/scenarios/runner'
import { scenarioCommand } from '../../simulator/src/scenarios/scenarioCommand'
import type { Scenario } from '../../simulator/src/scenarios/schema'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../..')
const shipped = path.join(repoRoot, 'simulator/scenarios')
const fixture = (name: string) => path.join(here, 'scenario-fixtures', name)

let sim: RunningSimulator
beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(async () => {
  await sim.close()
})

async function load(...files: string[]): Promise<Scenario[]> {
  const { scenarios, problems } = await loadScenarios(files)
  expect(problems).toEqual([])
  return scenarios
}

/** The summary table when something failed, so a red test says which scenario and why. */
function explain(summary: RunSummary): string {
  return `${formatSummaryTable(summary, repoRoot)}\n${summary.results
    .filter((r) => r.failure)
    .map((r) => `${r.scenario.file}: ${r.failure!.message}\n  ${r.log.join('\n  ')}`)
    .join('\n')}`
}

function capture() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    io: { stdout: { write: (text: string) => (out.stdout += text) }, stderr: { write: (text: string) => (out.stderr += text) }, cwd: repoRoot },
  }
}

describe('the scenario runner', () => {
  it('passes every shipped scenario against a real simulator, each in its own sandbox, in a few seconds', async () => {
    const scenarios = await load(shipped)
    const summary = await runScenarios(scenarios, { simulatorUrl: sim.url })
    expect(summary.failed + summary.errors, explain(summary)).toBe(0)
    expect(summary.passed).toBe(scenarios.length)
    expect(new Set(summary.results.map((r) => r.sandbox)).size).toBe(scenarios.length)
    expect(summary.durationMs).toBeLessThan(30_000)
    // Every sandbox is deleted afterwards.
    const { sandboxes } = (await (await fetch(`${sim.url}/_sim/sandboxes`)).json()) as { sandboxes: { sandbox: string }[] }
    expect(sandboxes.map((s) => s.sandbox)).toEqual(['default'])
  }, 60_000)

  it('fails the deliberately failing scenario at its step, with expected and actual, and quickly', async () => {
    const [result] = (await runScenarios(await load(fixture('failing.yaml')), { simulatorUrl: sim.url })).results
    expect(result).toMatchObject({ status: 'failed', stepsRun: 3 })
    expect(result!.failure).toEqual({
      type: 'failure',
      stepIndex: 3,
      stepKind: 'expectInventory',
      line: 7,
      message: 'player-1 has 1 gem_pack_small, expected 2',
      expected: '2',
      actual: '1',
    })
    // Nothing more could happen without a clock move, so it did not wait out the 5 s deadline.
    expect(result!.durationMs).toBeLessThan(4000)
  })

  it('runs two suites in parallel sandboxes without interference: the same player and outTradeNo in both', async () => {
    const [sameOrder] = await load(fixture('same-order.yaml'))
    const scenarios = [sameOrder!, sameOrder!]
    const [first, second] = await Promise.all([
      runScenarios(scenarios, { simulatorUrl: sim.url, sandboxPrefix: 'suite-a', concurrency: 2 }),
      runScenarios(scenarios, { simulatorUrl: sim.url, sandboxPrefix: 'suite-b', concurrency: 2 }),
    ])
    expect(first.failed + first.errors, explain(first)).toBe(0)
    expect(second.failed + second.errors, explain(second)).toBe(0)
    expect([...first.results, ...second.results].map((r) => r.sandbox).sort()).toEqual(['suite-a-0', 'suite-a-1', 'suite-b-0', 'suite-b-1'])
    // None of it reached the default sandbox either.
    const { orders } = (await (await fetch(`${sim.url}/_sim/orders?appId=${SAMPLE_GAME.appId}&outTradeNo=SAMEORDER0001`)).json()) as { orders: unknown[] }
    expect(orders).toEqual([])
  }, 30_000)

  it('fails a scenario cleanly when its sandbox is reset while it runs, and the simulator keeps serving', async () => {
    const sandboxUrl = `${sim.url}/sandbox/reset-test-0`
    const running = runScenarios(await load(fixture('slow-sheet-waits.yaml')), { simulatorUrl: sim.url, sandboxPrefix: 'reset-test', settleTimeoutMs: 20_000 })
    // Wait until the scenario's slow sheet is open (its order exists), then reset underneath it.
    const deadline = Date.now() + 10_000
    for (;;) {
      const response = await fetch(`${sandboxUrl}/_sim/orders?appId=${SAMPLE_GAME.appId}`)
      if (response.ok && ((await response.json()) as { orders: unknown[] }).orders.length > 0) break
      if (Date.now() > deadline) throw new Error('the scenario never opened its sheet')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const reset = await fetch(`${sandboxUrl}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(reset.status).toBe(200)

    const started = Date.now()
    const [result] = (await running).results
    expect(result!.status).toBe('error')
    expect(result!.failure!.message).toMatch(/^the sandbox was reset during the scenario/)
    expect(result!.failure).toMatchObject({ type: 'error', stepKind: expect.stringMatching(/^(buy|expectOrder|expectResult)$/) })
    expect(Date.now() - started).toBeLessThan(5000)

    const health = await fetch(`${sim.url}/_sim/sandbox`)
    expect(health.status).toBe(200)
    const after = await runScenarios(await load(path.join(shipped, 'purchase-success.yaml')), { simulatorUrl: sim.url })
    expect(after.passed, explain(after)).toBe(1)
  }, 30_000)
})

describe('superapp-sim scenario', () => {
  it('prints its help with exit code 0', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['validate', '-h']]) {
      const { io, out } = capture()
      expect(await scenarioCommand(argv, io)).toBe(0)
      expect(out.stdout).toContain('superapp-sim scenario run <files|folders...> [options]')
      expect(out.stdout).toContain('--junit <file>')
    }
  })

  it('exits 2 on bad usage, saying what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [[], /superapp-sim scenario run/],
      [['walk'], /unknown scenario command "walk"/],
      [['run'], /give at least one scenario file or folder/],
      [['run', shipped, '--concurency', '2'], /Unknown option '--concurency'/],
      [['run', shipped, '--concurrency', 'many'], /--concurrency must be an integer from 1 to 64/],
      [['run', shipped, '--simulator', 'localhost:7070'], /--simulator must be an http\(s\) URL/],
    ]
    for (const [argv, message] of cases) {
      const { io, out } = capture()
      expect(await scenarioCommand(argv, io), argv.join(' ')).toBe(2)
      expect(out.stdout + out.stderr, argv.join(' ')).toMatch(message)
    }
  })

  it('refuses invalid files before running anything (exit 2, file:line:col and hints)', async () => {
    const { io, out } = capture()
    const sandboxNames = async () => ((await (await fetch(`${sim.url}/_sim/sandboxes`)).json()) as { sandboxes: { sandbox: string }[] }).sandboxes.map((s) => s.sandbox)
    const sandboxesBefore = await sandboxNames()
    expect(await scenarioCommand(['run', fixture('typo.yaml'), fixture('failing.yaml'), '--simulator', sim.url], io)).toBe(2)
    expect(out.stderr).toContain('test/integration/scenario-fixtures/typo.yaml:6:5  step 3: unknown step "expectDelivry"  (did you mean expectDelivery?)')
    expect(out.stderr).toContain('4 problems in 1 file: nothing was run.')
    expect(out.stdout).toBe('')
    expect(await sandboxNames()).toEqual(sandboxesBefore)
  })

  it('validates the shipped scenarios (exit 0)', async () => {
    const { io, out } = capture()
    expect(await scenarioCommand(['validate', shipped], io)).toBe(0)
    expect(out.stdout).toMatch(/^\d+ scenario files valid\.\n$/)
  })

  it('exits 1 when a scenario fails, with the reason, the table and a valid JUnit file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-junit-'))
    try {
      const { io, out } = capture()
      const junit = path.join(dir, 'reports/report.xml')
      const code = await scenarioCommand(['run', fixture('failing.yaml'), path.join(shipped, 'purchase-cancel.yaml'), '--simulator', sim.url, '--junit', junit], io)
      expect(code, out.stdout + out.stderr).toBe(1)
      expect(out.stdout).toContain('FAIL  a deliberately failing scenario (expects two items after one purchase)')
      expect(out.stdout).toContain('step 4 expectInventory (test/integration/scenario-fixtures/failing.yaml:7): player-1 has 1 gem_pack_small, expected 2')
      expect(out.stdout).toMatch(/2 scenarios: 1 passed, 1 failed, 0 errors in/)
      const xml = await readFile(junit, 'utf8')
      const errors: string[] = []
      const elements: string[] = []
      const parser = new SaxesParser()
      parser.on('error', (error) => errors.push(error.message))
      parser.on('opentag', (tag) => elements.push(tag.name))
      parser.write(xml).close()
      expect(errors).toEqual([])
      expect(elements).toEqual(['testsuites', 'testsuite', 'testcase', 'failure', 'system-out', 'testcase', 'system-out'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('starts a simulator of its own without --simulator, and exits 0 when all pass', async () => {
    const { io, out } = capture()
    expect(await scenarioCommand(['run', path.join(shipped, 'purchase-success.yaml'), path.join(shipped, 'errcodes/15014-pay-sig-error.yaml')], io), out.stdout + out.stderr).toBe(0)
    expect(out.stdout).toMatch(/Running 2 scenarios against http:\/\/127\.0\.0\.1:\d+ \(in-process, in memory\)/)
    expect(out.stdout).toContain('2 scenarios: 2 passed, 0 failed, 0 errors')
  })

  it('exits 2 when the simulator named by --simulator cannot be reached', async () => {
    const { io, out } = capture()
    expect(await scenarioCommand(['run', shipped, '--simulator', 'http://127.0.0.1:9'], io)).toBe(2)
    expect(out.stderr).toContain('cannot reach the simulator')
  })
})
