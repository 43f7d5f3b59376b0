import { afterEach, describe, expect, it, vi } from 'vitest'
import { runNpmStart } from '../../scripts/npmStart'
import { main } from '../../simulator/src/cli'

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
})
