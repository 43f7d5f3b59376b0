import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { main } from '../../simulator/src/cli'

let sim: RunningSimulator
let out: string[]
let err: string[]

beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(() => sim.close())
afterEach(() => vi.restoreAllMocks())

/** Runs `superapp-sim <args>` in this process against the test's simulator. */
async function cli(...args: string[]): Promise<number> {
  out = []
  err = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true))
  try {
    return await main([...args, '--simulator', sim.url])
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
  })
})
