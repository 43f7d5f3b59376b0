import { describe, expect, it } from 'vitest'
import { SimulatorError } from '../../simulator/src/errors'
import { ScenarioContext } from '../../simulator/src/scenarios/context'
import { expectationFailed } from '../../simulator/src/scenarios/expectations'
import { SandboxControl } from '../../simulator/src/scenarios/sandboxControl'
import type { Scenario } from '../../simulator/src/scenarios/schema'
import { eventually } from '../../simulator/src/scenarios/waiting'

/**
 * A scenario that timed out (or whose sandbox was reset) is cleaned up at once; its body
 * must then stop at its next poll or step instead of going on against a sandbox that is
 * gone. No simulator is needed: nothing here may reach one (port 9 refuses).
 */
const scenario: Scenario = { file: 'x.yaml', name: 'x', game: 'mg5a3f9c2e71d04b88', players: ['player-1'], prices: {}, steps: [], line: 1 }
const timedOut = () => new SimulatorError('TIMED_OUT', 'the scenario did not finish within 50ms of real time')
const context = (settleMs = 3_600_000) => new ScenarioContext(scenario, new SandboxControl('http://127.0.0.1:9', 'abort-test'), settleMs)

describe('an aborted scenario', () => {
  it('stops polling at the next poll, with the abort reason, instead of waiting out the settle time', async () => {
    const ctx = context()
    let checks = 0
    const polling = eventually(ctx, async () => {
      checks += 1
      // Aborted while a check runs: the poll must not sleep and check again for an hour.
      ctx.abort(timedOut())
      return { ok: false, settled: false, failure: expectationFailed('not yet') }
    })
    await expect(polling).rejects.toMatchObject({ code: 'TIMED_OUT' })
    expect(checks).toBe(1)
  })

  it('connects no player once aborted', async () => {
    const ctx = context()
    ctx.abort(timedOut())
    // Port 9 would fail with CONNECT_FAILED: the abort reason says nothing was tried.
    await expect(ctx.playerFor('player-2')).rejects.toMatchObject({ code: 'TIMED_OUT' })
  })

  it('closes a resource that arrives after the end, and keeps the first reason', async () => {
    const ctx = context()
    ctx.abort(timedOut())
    ctx.abort(new SimulatorError('SANDBOX_RESET', 'the sandbox was reset during the scenario'))
    let closed = false
    await expect(ctx.own({ close: async () => void (closed = true) })).rejects.toMatchObject({ code: 'TIMED_OUT' })
    expect(closed).toBe(true)
  })
})
