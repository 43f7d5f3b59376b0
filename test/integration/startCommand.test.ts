import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../simulator/src/cli'

afterEach(() => vi.restoreAllMocks())

/** `superapp-sim start` refuses bad flags before it starts or changes anything. */
describe('superapp-sim start', () => {
  it.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--game-port', '70000'], '--game-port must be a port number'],
    [['--time-scale', '0'], '--time-scale must be a positive number'],
    [['--delivery-url', 'ftp://example.test/'], '--delivery-url must be an http:// or https:// URL'],
    [['--fixture', 'does-not-exist.yaml'], 'cannot read fixture file does-not-exist.yaml'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--package', 'does-not-exist'], 'does-not-exist is not a folder'],
    [['--package', 'test/e2e/minigames'], 'has no game.json: point --package at the folder that holds game.json and game.js'],
  ])('start %j exits 2 with the reason', async (flags, reason) => {
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message))
    expect(await main(['start', ...flags, '--no-build'])).toBe(2)
    expect(errors.join('\n')).toContain(reason)
  })
})
