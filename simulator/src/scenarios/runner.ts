import { randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { startTestGameServer } from '@superapp-sim/game-sdk/testing'
import { DEMO_ITEMS } from '../demo/demoGame'
import { SimulatorError } from '../errors'
import { SANDBOX_NAME } from '../sandbox/names'
import { resetError, ScenarioContext } from './context'
import { expectationOf } from './expectations'
import { SandboxControl } from './sandboxControl'
import { DEFAULT_FIXTURE, formatDuration, MAX_SCENARIO_TIMEOUT_MS, type Scenario, type ScenarioStep } from './schema'
import { runStep } from './steps'
import { errorMessage } from '@superapp-sim/game-sdk'

/**
 * The run loop: scenarios, at most `concurrency` at a time, each in a sandbox of its own
 * (reset to its fixture, clock frozen, deleted afterwards) with a test game server of its
 * own and headless players, so scenarios run in parallel without seeing each other. Here:
 * setting a scenario up, its steps in order, its real-time limit, telling a failure from an
 * error, and cleaning up whatever happened. The steps are in steps.ts, the waiting in
 * waiting.ts, the failure texts in expectations.ts.
 */

/** How scenarios are run: against which simulator, how many at once, with which limits. */
export interface RunOptions {
  /** The simulator's root URL, e.g. http://127.0.0.1:7070. */
  simulatorUrl: string
  /** Scenarios run at once. Default 4. */
  concurrency?: number
  /** Fixture of scenarios that name none. Default demo. */
  defaultFixture?: string
  /**
   * Real time given to what happens without a clock move (the first delivery attempt right
   * after payment, a refund notification, a player's answer). Default 5000 ms.
   */
  settleTimeoutMs?: number
  /** Real-time limit of a scenario that sets no `timeout`. Default 60 s, at most 1 h. */
  scenarioTimeoutMs?: number
  /** Sandbox names are `<prefix>-<index>`. Default `scn-<random>`. */
  sandboxPrefix?: string
  onScenarioStart?: (scenario: Scenario, index: number) => void
  onScenarioEnd?: (result: ScenarioResult, index: number) => void
}

export interface StepFailure {
  /** 'failure': an expectation did not hold. 'error': the scenario could not go on (a reset, an unreachable simulator, a timeout). */
  type: 'failure' | 'error'
  /** 0-based; undefined when the scenario failed before its first step (setting up). */
  stepIndex?: number
  stepKind?: ScenarioStep['kind']
  line?: number
  message: string
  expected?: string
  actual?: string
}

export interface ScenarioResult {
  scenario: Scenario
  status: 'passed' | 'failed' | 'error'
  durationMs: number
  stepsRun: number
  sandbox: string
  failure?: StepFailure
  /** One line per step run, for reports. */
  log: string[]
}

export interface RunSummary {
  results: ScenarioResult[]
  passed: number
  failed: number
  errors: number
  durationMs: number
}

const DEFAULT_PRICES: Readonly<Record<string, number>> = Object.fromEntries(DEMO_ITEMS.map((item) => [item.productId, item.price]))

/**
 * Runs scenarios, at most `concurrency` at a time, and returns every result (in input order).
 *
 * @throws SimulatorError USAGE for options that cannot work (a sandbox prefix that is not a sandbox name, a timeout over 1 h).
 * @example
 * const { scenarios } = await loadScenarios(['simulator/scenarios'])
 * const summary = await runScenarios(scenarios, { simulatorUrl: sim.url })
 * process.exitCode = summary.failed + summary.errors === 0 ? 0 : 1
 */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<RunSummary> {
  const started = performance.now()
  const prefix = options.sandboxPrefix ?? `scn-${randomBytes(3).toString('hex')}`
  if (!SANDBOX_NAME.test(`${prefix}-${scenarios.length}`)) throw new SimulatorError('USAGE', `sandboxPrefix "${prefix}" does not make sandbox names: lower-case letters, digits, _ and -`)
  for (const [name, ms] of [['scenarioTimeoutMs', options.scenarioTimeoutMs], ['settleTimeoutMs', options.settleTimeoutMs]] as const) {
    if (ms !== undefined && !(Number.isInteger(ms) && ms > 0 && ms <= MAX_SCENARIO_TIMEOUT_MS)) throw new SimulatorError('USAGE', `${name} must be a whole number of ms from 1 to ${MAX_SCENARIO_TIMEOUT_MS} (1h), got ${ms}`)
  }
  const tooLong = scenarios.find((s) => s.timeoutMs !== undefined && s.timeoutMs > MAX_SCENARIO_TIMEOUT_MS)
  if (tooLong) throw new SimulatorError('USAGE', `${tooLong.file}: timeout ${formatDuration(tooLong.timeoutMs!)} is over the ${formatDuration(MAX_SCENARIO_TIMEOUT_MS)} a scenario may take`)
  const results: ScenarioResult[] = new Array(scenarios.length)
  let next = 0
  const worker = async () => {
    while (next < scenarios.length) {
      const index = next++
      options.onScenarioStart?.(scenarios[index]!, index)
      results[index] = await runScenario(scenarios[index]!, `${prefix}-${index}`, options)
      options.onScenarioEnd?.(results[index]!, index)
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, scenarios.length || 1))
  await Promise.all(Array.from({ length: concurrency }, worker))
  return {
    results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    errors: results.filter((r) => r.status === 'error').length,
    durationMs: performance.now() - started,
  }
}

/** Runs one scenario in its own sandbox. Every outcome is a result; it throws only USAGE, for a name that is not a sandbox name. */
export async function runScenario(scenario: Scenario, sandboxName: string, options: RunOptions): Promise<ScenarioResult> {
  const started = performance.now()
  const control = new SandboxControl(options.simulatorUrl, sandboxName)
  const ctx = new ScenarioContext(scenario, control, options.settleTimeoutMs ?? 5000)
  const log: string[] = []
  /** The sandbox's generation after this scenario's reset; undefined until then. */
  let generation: number | undefined
  let stepsRun = 0
  // Set before the reset is sent: a timeout while it is in flight must still delete the sandbox it creates.
  let resetCall: Promise<unknown> | undefined

  async function checkGeneration(): Promise<void> {
    const info = await control.info().catch((error: unknown) => {
      throw resetError(`GET /_sim/sandbox: ${(error as Error).message}`)
    })
    if (info.generation !== generation) throw resetError(`generation ${generation} -> ${info.generation}`)
  }

  async function body(): Promise<void> {
    const reset = control.reset(scenario.fixture ?? options.defaultFixture ?? DEFAULT_FIXTURE)
    resetCall = reset
    const info = await reset
    generation = info.generation
    ctx.checkpoint()
    await control.clock({ frozen: true })
    ctx.checkpoint()
    const config = await control.miniGame(scenario.game)
    if (!config.appKey) {
      throw new SimulatorError('CONFLICT', `mini game ${scenario.game} has no AppKey in fixture "${info.fixture}" (its delivery configuration was never saved): a scenario needs a game set up for payment, as in the demo fixture`)
    }
    ctx.checkpoint()
    const game = await ctx.own(
      await startTestGameServer({ hostUrl: control.url, appId: config.appId, appSecret: config.appSecret, appKey: config.appKey, prices: { ...DEFAULT_PRICES, ...scenario.prices } }),
    )
    ctx.setGameServer(game)
    await control.configureDelivery(scenario.game, game.deliveryUrl)
    for (const player of scenario.players) await ctx.playerFor(player)
    await checkGeneration()
    for (const step of scenario.steps) {
      ctx.checkpoint()
      ctx.current = step
      const note = await ctx.race(runStep(ctx, step))
      await checkGeneration()
      stepsRun += 1
      log.push(`ok   step ${step.index + 1} (line ${step.line}) ${step.kind}${note ? `: ${note}` : ''}`)
    }
  }

  let failure: StepFailure | undefined
  const timeoutMs = scenario.timeoutMs ?? options.scenarioTimeoutMs ?? 60_000
  const timer = setTimeout(() => ctx.abort(new SimulatorError('TIMED_OUT', `the scenario did not finish within ${formatDuration(timeoutMs)} of real time`)), timeoutMs)
  try {
    await ctx.race(body())
  } catch (caught) {
    let error = caught
    // Whatever broke, a reset underneath explains it better.
    if (codeOf(error) !== 'SANDBOX_RESET' && generation !== undefined) await checkGeneration().catch((reset: unknown) => (error = reset))
    const { current } = ctx
    failure = {
      type: codeOf(error) === 'EXPECTATION_FAILED' ? 'failure' : 'error',
      ...(current ? { stepIndex: current.index, stepKind: current.kind, line: current.line } : {}),
      message: errorMessage(error),
      ...expectationOf(error),
    }
    log.push(`FAIL ${current ? `step ${current.index + 1} (line ${current.line}) ${current.kind}` : 'setting up'}: ${failure.message}`)
  } finally {
    clearTimeout(timer)
    // A body still inside a step (after a timeout) stops at its next checkpoint.
    ctx.abort(new SimulatorError('TIMED_OUT', 'the scenario has ended'))
    await ctx.closeAll()
    if (resetCall) await removeSandbox(control, resetCall, ctx.settleMs)
  }
  return {
    scenario,
    status: failure ? (failure.type === 'failure' ? 'failed' : 'error') : 'passed',
    durationMs: performance.now() - started,
    stepsRun,
    sandbox: sandboxName,
    ...(failure ? { failure } : {}),
    log,
  }
}

const codeOf = (error: unknown) => (error instanceof SimulatorError ? error.code : undefined)

/**
 * Deletes the scenario's sandbox once its reset has answered (a reset still in flight would
 * create it after a delete). A reset that takes longer than `graceMs` is not waited for: the
 * sandbox is deleted when it answers.
 */
async function removeSandbox(control: SandboxControl, resetCall: Promise<unknown>, graceMs: number): Promise<void> {
  const remove = () => control.remove().catch(() => {})
  const answered = resetCall.then(
    () => true,
    () => true,
  )
  const grace = new AbortController()
  const inTime = await Promise.race([answered, delay(graceMs, false, { signal: grace.signal }).catch(() => false)])
  grace.abort()
  if (inTime) await remove()
  else void answered.then(remove)
}
