import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { fixtureDocumentSchema } from '../../simulator/src/fixtures/fixtures'
import { parseScenario } from '../../simulator/src/scenarios/loader'
import { runScenarios } from '../../simulator/src/scenarios/runner'
import { SCENARIO_USAGE, scenarioCommand } from '../../simulator/src/scenarios/scenarioCommand'

/** The QA guide's examples are run, so a reader who copies one gets something that works. */
const guide = path.resolve(import.meta.dirname, '../../docs/qa-guide.md')
const yamlBlocks = async () => [...(await readFile(guide, 'utf8')).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)

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
})
