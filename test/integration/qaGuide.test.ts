import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { fixtureDocumentSchema } from '../../simulator/src/fixtures/fixtures'
import { parseScenario } from '../../simulator/src/scenarios/loader'
import { runScenarios } from '../../simulator/src/scenarios/runner'
import { SCENARIO_USAGE, scenarioCommand } from '../../simulator/src/scenarios/scenarioCommand'
import { CONTROL_USAGE } from '../../simulator/src/cliControl'

/** The QA guide's examples are run, so a reader who copies one gets something that works. */
const guide = path.resolve(import.meta.dirname, '../../docs/qa-guide.md')
const blocks = async (language: string) => [...(await readFile(guide, 'utf8')).matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!)
const yamlBlocks = () => blocks('yaml')
/** The guide's test-runner example: a suite run by this repository's vitest and, installed from the packs, by packages.test.ts. */
const exampleSuite = path.resolve(import.meta.dirname, '../packages/consumer/qa')

let sim: RunningSimulator
beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(() => sim.close())

describe('docs/qa-guide.md', () => {
  it('its scenario example is valid and passes', async () => {
    const blocks = (await yamlBlocks()).filter((b) => /^steps:/m.test(b))
    expect(blocks).toHaveLength(1)
    const loaded = parseScenario(blocks[0]!, 'docs/qa-guide.md')
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
    const summary = await runScenarios([loaded.scenario], { simulatorUrl: sim.url })
    expect(summary.results.map((r) => r.failure?.message)).toEqual([undefined])
  })

  it('its fixture example is a valid fixture document, and a sandbox resets to it', async () => {
    const blocks = (await yamlBlocks()).filter((b) => /^extends:/m.test(b))
    expect(blocks).toHaveLength(1)
    const document = fixtureDocumentSchema.parse(parse(blocks[0]!))
    await sim.sandboxes.fixtures.register('guide', document)
    const core = await sim.sandboxes.reset('guide-example', 'guide')
    expect(core.store.state.miniGames.find((g) => g.appId === 'mg00000000000000aa')).toMatchObject({ appKey: 'my-test-app-key', paymentPermission: 'approved' })
    expect(core.clock.frozen).toBe(true)
  })

  it('its CI example runs only CLI commands and flags that exist', async () => {
    const ci = (await yamlBlocks()).find((b) => b.includes('jobs:'))!
    const lines = [...ci.matchAll(/npx superapp-sim (.+)/g)].map((m) => m[1]!.trim())
    expect(lines.length).toBeGreaterThan(1)
    for (const line of lines) {
      const [command, sub, ...rest] = line.split(/\s+/)
      expect(`${command} ${sub}`).toMatch(/^scenario (run|validate)$/)
      for (const flag of rest.filter((word) => word.startsWith('--'))) expect(SCENARIO_USAGE).toContain(flag)
    }
    // The shipped folder it names is valid as the example says.
    expect(await scenarioCommand(['validate', 'simulator/scenarios'], { stdout: { write: () => true }, stderr: { write: () => true } } as never)).toBe(0)
  })

  it('its test-runner suite and vitest config are the files that run, word for word', async () => {
    expect(await blocks('ts')).toEqual([await readFile(path.join(exampleSuite, 'purchase.test.ts'), 'utf8'), await readFile(path.join(exampleSuite, 'vitest.config.ts'), 'utf8')])
  })

  it('its CLI examples use only control commands and flags that exist, and name the simulator', async () => {
    const lines = (await blocks('sh')).flatMap((b) => [...b.matchAll(/npx superapp-sim (reset|clock|payment-sheet|trigger|events)\b(.*)/g)])
    expect(lines.length).toBeGreaterThan(2)
    for (const [, command, rest] of lines) {
      for (const flag of rest!.replace(/#.*/, '').split(/\s+/).filter((word) => word.startsWith('--'))) expect(CONTROL_USAGE[command!]).toContain(flag.replace(/=.*/, ''))
    }
    const guideText = await readFile(guide, 'utf8')
    for (const words of ['--simulator', 'SIM_URL', 'SIM_SANDBOX']) expect(guideText).toContain(words)
  })
})
