import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runNpmStart } from '../../scripts/npmStart'
import { main } from '../../simulator/src/cli'
import { planStart, simulatorBanner, startPlanned, START_OPTIONS } from '../../simulator/src/startCommand'
import { parseArgs } from 'node:util'

afterEach(() => vi.restoreAllMocks())

async function refusal(run: () => Promise<number | undefined>): Promise<{ code: number | undefined; errors: string }> {
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message))
  const code = await run()
  return { code, errors: errors.join('\n') }
}

/** `superapp-sim start` refuses bad flags before it starts or changes anything. */
describe('superapp-sim start', () => {
  it.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--time-scale', '0'], '--time-scale must be a positive number'],
    [['--delivery-url', 'ftp://example.test/'], '--delivery-url must be an http:// or https:// URL'],
    [['--fixture', 'does-not-exist.yaml'], 'cannot read fixture file does-not-exist.yaml'],
    [['--bogus'], "Unknown option '--bogus'"],
    // The sample game is the repository's, not the package's.
    [['--game-port', '7071'], "Unknown option '--game-port'"],
    [['--allowed-host', 'evil.example:7070'], 'allowed host "evil.example:7070" is not a host name'],
    [['--package', 'does-not-exist'], 'does-not-exist is not a folder'],
    [['--package', 'test/e2e/minigames'], 'has no game.json: point --package at the folder that holds game.json and game.js'],
  ])('start %j exits 2 with the reason', async (flags, reason) => {
    const { code, errors } = await refusal(() => main(['start', ...flags]))
    expect(code).toBe(2)
    expect(errors).toContain(reason)
  })
})

/** The repository's `npm start` takes the simulator's flags and the sample game's. */
describe('npm start', () => {
  it.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--game-port', '70000'], '--game-port must be a port number'],
    [['--time-scale', '0'], '--time-scale must be a positive number'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('npm start -- %j exits 2 with the reason', async (flags, reason) => {
    const { code, errors } = await refusal(() => runNpmStart([...flags, '--no-build']))
    expect(code).toBe(2)
    expect(errors).toContain(reason)
  })

  it('exits 1 naming the file and the field when the data folder is not the simulator state', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-start-'))
    try {
      await writeFile(path.join(dataDir, 'state.json'), JSON.stringify({ version: 2, superapp: { name: 7 } }))
      const errors: string[] = []
      vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message))
      expect(await main(['start', '--port', '0', '--data-dir', dataDir])).toBe(1)
      expect(errors.join('\n')).toMatch(/state\.json: superapp\.name: Invalid input: expected string, received number\. The file is damaged or was not written by this simulator/)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

/** A --delivery-url is kept in the data folder: later starts say where deliveries go, and how to go back (issue 18). */
describe('start after --delivery-url', () => {
  const SAMPLE = 'http://127.0.0.1:7071'
  async function startWith(dataDir: string, flags: string[]) {
    const { values } = parseArgs({ args: ['--port', '0', '--data-dir', dataDir, ...flags], options: START_OPTIONS })
    const plan = await planStart(values as Parameters<typeof planStart>[0])
    const simulator = await startPlanned(plan, { sampleGameOrigin: SAMPLE, log: () => {} })
    const banner = simulatorBanner(simulator, plan, SAMPLE).join('\n')
    await simulator.close()
    return banner
  }

  it('warns on a plain restart that deliveries still go elsewhere, and --delivery-url sample brings them back', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-delivery-url-'))
    try {
      expect(await startWith(dataDir, [])).not.toContain('!')
      await startWith(dataDir, ['--delivery-url', 'http://127.0.0.1:3000/api/delivery'])
      const restarted = await startWith(dataDir, [])
      expect(restarted).toContain('Delivery notifications:  http://127.0.0.1:3000/api/delivery')
      expect(restarted).toContain(`! Deliveries go to http://127.0.0.1:3000/api/delivery, not the sample game server (${SAMPLE}/api/delivery)`)
      expect(restarted).toContain('`--delivery-url sample`')
      const back = await startWith(dataDir, ['--delivery-url', 'sample'])
      expect(back).toContain(`Delivery notifications:  ${SAMPLE}/api/delivery`)
      expect(back).not.toContain('! Deliveries go to')
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
