import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { main } from '../../simulator/src/cli'
import { startBadEventStream, startHtmlServer } from './scenario-fixtures/servers'

let sim: RunningSimulator
let out: string[]
let err: string[]
/** Called on each write to stdout (a command that follows a stream writes as it goes). */
let onOutput: (() => void) | undefined

beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(() => sim.close())
afterEach(() => vi.restoreAllMocks())

/** Runs `superapp-sim <args>` in this process against the test's simulator. */
function cli(...args: string[]): Promise<number> {
  return cliAt(sim.url, ...args)
}

/** Runs `superapp-sim <args> --simulator <url>` in this process. */
async function cliAt(simulatorUrl: string, ...args: string[]): Promise<number> {
  out = []
  err = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), onOutput?.(), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true))
  try {
    return await main([...args, '--simulator', simulatorUrl])
  } finally {
    vi.restoreAllMocks()
  }
}

describe('superapp-sim control commands', () => {
  it('reset creates a sandbox from a fixture file, clock moves it, payment-sheet sets its policy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fixture-'))
    const file = path.join(dir, 'team-a.fixture.yaml')
    await writeFile(file, 'extends: empty\nclock:\n  start: 2026-05-01T00:00:00Z\n  frozen: true\nplayers:\n  - id: qa-9\n')
    expect(await cli('reset', '--sandbox', 'cli-1', '--fixture', file)).toBe(0)
    expect(JSON.parse(out.join(''))).toMatchObject({ sandbox: 'cli-1', fixture: 'team-a', clock: { now: '2026-05-01T00:00:00.000Z', frozen: true } })
    expect(await cli('clock', '--sandbox', 'cli-1', '--advance', '1h30m')).toBe(0)
    expect(JSON.parse(out.join('')).now).toBe('2026-05-01T01:30:00.000Z')
    expect(await cli('payment-sheet', '--sandbox', 'cli-1', '--policy', 'fail', '--err-code=-2', '--player', 'qa-9', '--delay', '15s')).toBe(0)
    expect(sim.sandboxes.get('cli-1')!.payments.policies.for('qa-9')).toEqual({ policy: 'fail', errCode: -2, delayMs: 15_000 })
    expect(await cli('events', '--sandbox', 'cli-1', '--type', 'clock.')).toBe(0)
    expect(out.join('').trim().split('\n').map((line) => JSON.parse(line).type)).toEqual(['clock.moved'])
  })

  it('a fixture file with a mistake is refused at its line, before anything changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fixture-'))
    const file = path.join(dir, 'broken.yaml')
    await writeFile(file, 'extends: demo\ngames:\n  - appId: mg00000000000000bb\n    name: B\n    payment: maybe\n')
    expect(await cli('reset', '--sandbox', 'cli-2', '--fixture', file)).toBe(2)
    expect(err.join('')).toContain(`${file}:5:14`)
    expect(sim.sandboxes.get('cli-2')).toBeUndefined()
  })

  it('exits 1 with the simulator\'s reason when it refuses, 2 on bad usage, 0 with --help', async () => {
    expect(await cli('trigger', 'refund', '--order-no', 'NOPE')).toBe(1)
    expect(err.join('')).toContain('404 NOT_FOUND: no order NOPE')
    expect(await cli('clock', '--advance', 'soon')).toBe(2)
    expect(err.join('')).toContain('--advance must be a duration')
    expect(await cli('trigger', 'everything')).toBe(2)
    expect(await cli('clock', '--unknown')).toBe(2)
    for (const command of ['reset', 'clock', 'payment-sheet', 'trigger', 'events']) {
      expect(await cli(command, '--help')).toBe(0)
      expect(out.join('')).toContain(`superapp-sim ${command}`)
    }
    expect(await cli('clock', '--sandbox', 'Not A Name')).toBe(2)
    expect(err.join('')).toContain('sandbox names are lower-case letters')
  })

  it('exits 1 with the HTTP status and a hint when --simulator answers something that is not JSON', async () => {
    const page = await startHtmlServer()
    try {
      expect(await cliAt(page.url, 'clock')).toBe(1)
      expect(err.join('')).toBe(
        `GET ${page.url}/_sim/clock answered HTTP 200 with text/html, not JSON: is the simulator running there (superapp-sim start prints its URL; default http://127.0.0.1:7070)? It said: <!doctype html><title>Gem Quest</title>\n`,
      )
      expect(await cliAt(page.url, 'trigger', 'refund', '--order-no', 'X', '--sandbox', 'cli-5')).toBe(1)
      expect(err.join('')).toContain(`POST ${page.url}/sandbox/cli-5/_sim/triggers/refund answered HTTP 200 with text/html, not JSON`)
    } finally {
      await page.close()
    }
  })

  it('reset without --sandbox warns that it replaces the default sandbox, the one npm start persists (issue 18.10)', async () => {
    vi.stubEnv('SIM_SANDBOX', '')
    try {
      expect(await cli('reset')).toBe(0)
      expect(err.join('')).toMatch(/^warning: .*the default sandbox of http:\/\/127\.0\.0\.1:\d+, .*npm start.*persists/s)
      expect(err.join('')).toContain('orders, refunds')
      expect(err.join('')).toContain('--sandbox <name>')
      // Addressed to a sandbox of its own: nothing to warn about.
      expect(await cli('reset', '--sandbox', 'cli-own')).toBe(0)
      expect(err).toEqual([])
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('events --follow exits 1 and says so when the sandbox is reset under it', async () => {
    expect(await cli('reset', '--sandbox', 'cli-3')).toBe(0)
    const firstEvent = new Promise<void>((resolve) => (onOutput = resolve))
    const following = cli('events', '--sandbox', 'cli-3', '--follow')
    // The backlog (the sandbox.reset event) is printed: the stream is open.
    await firstEvent
    onOutput = undefined
    const reset = await fetch(`${sim.url}/sandbox/cli-3/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(reset.status).toBe(200)
    expect(await following).toBe(1)
    expect(JSON.parse(out[0]!)).toMatchObject({ type: 'sandbox.reset', sandbox: 'cli-3' })
    expect(err.join('')).toMatch(/^the sandbox was reset or deleted \(close 4001 sandbox reset\): the stream ended after seq \d+; to go on, run events --follow --after \d+ again\n$/)
  })

  it('events --follow exits 1 when the stream sends something that is not an event', async () => {
    const stream = await startBadEventStream()
    try {
      expect(await cliAt(stream.url, 'events', '--follow')).toBe(1)
      expect(err.join('')).toContain('sent something that is not an event (not JSON): <html>not an event</html>')
    } finally {
      await stream.close()
    }
  })
})
