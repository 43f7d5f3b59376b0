import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import type { SimulatorError } from '../../simulator/src/errors'
import { CLOSE_SANDBOX_RESET } from '../../simulator/src/sandbox/core'
import { loadScenarios } from '../../simulator/src/scenarios/loader'
import { formatSummaryTable } from '../../simulator/src/scenarios/reporters'
import { runScenarios, type RunSummary } from '../../simulator/src/scenarios/runner'
import { scenarioCommand } from '../../simulator/src/scenarios/scenarioCommand'
import type { Scenario } from '../../simulator/src/scenarios/schema'
import { startHtmlServer, startProxy } from './scenario-fixtures/servers'

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

const sandboxNames = async () => ((await (await fetch(`${sim.url}/_sim/sandboxes`)).json()) as { sandboxes: { sandbox: string }[] }).sandboxes.map((s) => s.sandbox)

const resetSandbox = (sandboxUrl: string) => fetch(`${sandboxUrl}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })

/**
 * The first event of `type` in a sandbox, from its event stream (backlog, then live): no
 * polling. A reset of the sandbox closes the stream (4001); it is opened again, and the
 * request waits for the reset to finish. `listening` resolves once the first stream is open.
 */
function nextEvent(sandboxUrl: string, type: string): { listening: Promise<void>; event: Promise<unknown> } {
  let listening!: () => void
  const opened = new Promise<void>((resolve) => (listening = resolve))
  const event = new Promise<unknown>((resolve, reject) => {
    const follow = () => {
      const socket = new WebSocket(`${sandboxUrl.replace(/^http/, 'ws')}/_sim/events/stream?after=0`)
      let found = false
      socket.on('open', listening)
      socket.on('message', (data) => {
        const parsed = JSON.parse(String(data)) as { type: string }
        if (parsed.type !== type) return
        found = true
        resolve(parsed)
        socket.close()
      })
      socket.on('error', reject)
      socket.on('close', (code) => {
        if (!found && code === CLOSE_SANDBOX_RESET) follow()
        else if (!found) reject(new Error(`the event stream closed (${code}) before a ${type} event`))
      })
    }
    follow()
  })
  return { listening: opened, event }
}

function capture() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    io: { stdout: { write: (text: string) => (out.stdout += text) }, stderr: { write: (text: string) => (out.stderr += text) }, cwd: repoRoot },
  }
}

describe('the scenario runner', () => {
  it('passes every shipped scenario against a real simulator, each in its own sandbox, and deletes the sandboxes', async () => {
    const scenarios = await load(shipped)
    const summary = await runScenarios(scenarios, { simulatorUrl: sim.url })
    expect(summary.failed + summary.errors, explain(summary)).toBe(0)
    expect(summary.passed).toBe(scenarios.length)
    const used = summary.results.map((r) => r.sandbox)
    expect(new Set(used).size).toBe(scenarios.length)
    // Other tests share this simulator: only this run's sandboxes are checked.
    const left = await sandboxNames()
    expect(left.filter((name) => used.includes(name))).toEqual([])
  }, 60_000)

  it('fails the deliberately failing scenario at its step, with expected and actual, as soon as nothing more can happen', async () => {
    // A settle time of an hour: waiting it out instead of seeing that the host is quiet would time the test out.
    const [result] = (await runScenarios(await load(fixture('failing.yaml')), { simulatorUrl: sim.url, settleTimeoutMs: 3_600_000 })).results
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
    const { orders } = (await (await fetch(`${sim.url}/_sim/orders?appId=${DEMO_GAME.appId}&outTradeNo=SAMEORDER0001`)).json()) as { orders: unknown[] }
    expect(orders).toEqual([])
  }, 30_000)

  it('fails a scenario cleanly when its sandbox is reset while it runs, and the simulator keeps serving', async () => {
    const sandboxUrl = `${sim.url}/sandbox/reset-test-0`
    // The sandbox exists before the run, so its event stream can be followed from the start;
    // the run's own reset closes the stream (4001), and it is followed again.
    await resetSandbox(sandboxUrl)
    const orderCreated = nextEvent(sandboxUrl, 'order.created')
    await orderCreated.listening
    // A settle time of an hour: if the reset were not noticed, the test would time out.
    const running = runScenarios(await load(fixture('slow-sheet-waits.yaml')), { simulatorUrl: sim.url, sandboxPrefix: 'reset-test', settleTimeoutMs: 3_600_000 })
    // The scenario's slow sheet is open once its order exists: reset underneath it.
    await orderCreated.event
    expect((await resetSandbox(sandboxUrl)).status).toBe(200)

    const [result] = (await running).results
    expect(result!.status).toBe('error')
    expect(result!.failure!.message).toMatch(/^the sandbox was reset during the scenario/)
    expect(result!.failure).toMatchObject({ type: 'error', stepKind: expect.stringMatching(/^(buy|expectOrder|expectResult)$/) })

    const health = await fetch(`${sim.url}/_sim/sandbox`)
    expect(health.status).toBe(200)
    const after = await runScenarios(await load(path.join(shipped, 'purchase-success.yaml')), { simulatorUrl: sim.url })
    expect(after.passed, explain(after)).toBe(1)
  }, 30_000)

  it('deletes the sandbox of a scenario that timed out during its reset, and does nothing more there', async () => {
    const proxy = await startProxy(sim.url, (request) => request.method === 'POST' && request.url!.endsWith('/_sim/reset'))
    try {
      const [failing] = await load(fixture('failing.yaml'))
      const summary = await runScenarios([{ ...failing!, timeoutMs: 50 }], { simulatorUrl: proxy.url, sandboxPrefix: 'held', settleTimeoutMs: 100 })
      const [result] = summary.results
      expect(result).toMatchObject({ status: 'error', stepsRun: 0, failure: { type: 'error', message: 'the scenario did not finish within 50ms of real time' } })
      expect(result!.failure!.stepIndex).toBeUndefined()
      await proxy.arrived(1)
      expect(proxy.log).toEqual(['POST /sandbox/held-0/_sim/reset'])

      // The reset answers after the scenario ended: the sandbox it made is deleted, and nothing else is asked of it.
      proxy.release()
      await proxy.answered(2)
      expect(proxy.log).toEqual(['POST /sandbox/held-0/_sim/reset', 'DELETE /sandbox/held-0/_sim/sandbox'])
      expect(await sandboxNames()).not.toContain('held-0')
    } finally {
      await proxy.close()
    }
  })

  it('refuses options and scenarios with a real-time limit setTimeout cannot keep (over 1h)', async () => {
    const [failing] = await load(fixture('failing.yaml'))
    const refusal = (run: Promise<unknown>) => run.then(() => undefined, (error: SimulatorError) => ({ code: error.code, message: error.message }))
    expect(await refusal(runScenarios([failing!], { simulatorUrl: sim.url, scenarioTimeoutMs: 2 ** 31 }))).toEqual({
      code: 'USAGE',
      message: 'scenarioTimeoutMs must be a whole number of ms from 1 to 3600000 (1h), got 2147483648',
    })
    expect(await refusal(runScenarios([{ ...failing!, timeoutMs: 2 ** 31 }], { simulatorUrl: sim.url }))).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/failing\.yaml: timeout .* is over the 1h a scenario may take$/) })
  })
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
      [['run', shipped, '--fixture', 'Demo'], /--fixture must be a fixture name: names are lower-case letters/],
    ]
    for (const [argv, message] of cases) {
      const { io, out } = capture()
      expect(await scenarioCommand(argv, io), argv.join(' ')).toBe(2)
      expect(out.stdout + out.stderr, argv.join(' ')).toMatch(message)
    }
  })

  it('refuses invalid files before running anything (exit 2, file:line:col and hints)', async () => {
    const { io, out } = capture()
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

  it('exits 2 with the HTTP status when --simulator names something else (an HTML page)', async () => {
    const page = await startHtmlServer()
    try {
      const { io, out } = capture()
      expect(await scenarioCommand(['run', shipped, '--simulator', page.url], io)).toBe(2)
      expect(out.stderr).toContain(`GET ${page.url}/_sim/sandboxes answered HTTP 200 with text/html, not JSON: is the simulator running there`)
    } finally {
      await page.close()
    }
  })
})
