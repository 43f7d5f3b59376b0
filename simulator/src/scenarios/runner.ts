import { randomBytes } from 'node:crypto'
import { connectHeadlessPlayer, type HeadlessPlayer } from '../../../game-sdk/src/node'
import type { MidasPaymentGameItemResult, RequestMidasPaymentGameItemOption } from '../../../game-sdk/src/core/wxTypes'
import { SHOP_ITEMS } from '../../../sample-game/shared/catalog'
import { OrderStatus } from '../store/model'
import { SandboxControl, type QaOrder } from './sandboxControl'
import { DEFAULT_FIXTURE, formatDuration, type BuyStepValue, type OrderStatusName, type Scenario, type ScenarioStep, type Tamper } from './schema'
import { startTestGameServer, type TestGameServer } from './testGameServer'

/**
 * Runs scenarios against a simulator. Each scenario gets a sandbox of its own (reset to its
 * fixture, clock frozen), a test game server of its own and headless players, so scenarios
 * run in parallel without seeing each other. The sandbox is deleted afterwards.
 */
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
  /** Real-time limit of a scenario that sets no `timeout`. Default 60 s. */
  scenarioTimeoutMs?: number
  /** Sandbox names are `<prefix>-<index>`. Default `scn-<random>`. */
  sandboxPrefix?: string
  onScenarioStart?: (scenario: Scenario, index: number) => void
  onScenarioEnd?: (result: ScenarioResult, index: number) => void
}

export interface StepFailure {
  /** 'failure': an expectation did not hold. 'error': the scenario could not go on (a reset, an unreachable simulator). */
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

/** An expectation did not hold. */
class ExpectationFailed extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message)
  }
}

/** The scenario's sandbox was reset (or deleted) by someone else while it ran. */
class SandboxWasReset extends Error {
  constructor(detail = '') {
    super(`the sandbox was reset during the scenario${detail ? ` (${detail})` : ''}`)
  }
}

const DEFAULT_PRICES: Readonly<Record<string, number>> = Object.fromEntries(SHOP_ITEMS.map((item) => [item.productId, item.price]))
const CLOSE_SANDBOX_RESET = 4001
const STATUS_NUMBER: Record<OrderStatusName, number> = {
  created: OrderStatus.CREATED,
  paid: OrderStatus.PAID,
  delivering: OrderStatus.DELIVERING,
  delivered: OrderStatus.DELIVERED,
  refunded: OrderStatus.REFUNDED,
  closed: OrderStatus.CLOSED,
  refund_failed: OrderStatus.REFUND_FAILED,
}
const STATUS_NAME = Object.fromEntries(Object.entries(STATUS_NUMBER).map(([name, number]) => [number, name])) as Record<number, string>

/**
 * Runs scenarios, at most `concurrency` at a time, and returns every result (in input order).
 *
 * @example
 * const { scenarios } = await loadScenarios(['simulator/scenarios'])
 * const summary = await runScenarios(scenarios, { simulatorUrl: sim.url })
 * process.exitCode = summary.failed + summary.errors === 0 ? 0 : 1
 */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<RunSummary> {
  const started = performance.now()
  const prefix = options.sandboxPrefix ?? `scn-${randomBytes(3).toString('hex')}`
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

interface BuyState {
  id: string
  player: string
  appId: string
  outTradeNo: string
  line: number
  result: Promise<MidasPaymentGameItemResult>
  settled?: MidasPaymentGameItemResult
}

/** Runs one scenario in its own sandbox. Never throws: every outcome is a result. */
export async function runScenario(scenario: Scenario, sandboxName: string, options: RunOptions): Promise<ScenarioResult> {
  const started = performance.now()
  const control = new SandboxControl(options.simulatorUrl, sandboxName)
  const settleMs = options.settleTimeoutMs ?? 5000
  const log: string[] = []
  const players = new Map<string, HeadlessPlayer>()
  const openids = new Map<string, string>()
  const buys = new Map<string, BuyState>()
  let game: TestGameServer | undefined
  let generation = 0
  let stepsRun = 0
  let current: ScenarioStep | undefined
  let created = false

  // A reset closes the sandbox's sockets with 4001: the first player to see it fails the scenario.
  let signalReset!: (error: SandboxWasReset) => void
  const resetSignal = new Promise<never>((_, reject) => (signalReset = reject))
  resetSignal.catch(() => {})

  const appOf = (appId?: string) => appId ?? scenario.game
  const playerFor = async (playerId: string, appId = scenario.game): Promise<HeadlessPlayer> => {
    const key = `${appId}\n${playerId}`
    const known = players.get(key)
    if (known) return known
    const player = await connectHeadlessPlayer({ simulatorUrl: control.url, appId, playerId, sheet: 'confirm' })
    players.set(key, player)
    void player.closed.then(({ code, reason }) => {
      if (code === CLOSE_SANDBOX_RESET) signalReset(new SandboxWasReset(`${playerId}'s host connection closed: ${reason || 'sandbox reset'}`))
    })
    return player
  }
  const gameServer = () => game!
  const orderOf = async (buy: BuyState): Promise<QaOrder | undefined> => control.order(buy.appId, buy.outTradeNo)
  const buyOf = (id: string) => buys.get(id)!

  async function gameJson<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${gameServer().url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
    const json = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } }
    if (!response.ok) throw new ExpectationFailed(`the game server refused ${method} ${path} (HTTP ${response.status}): ${json.error?.message ?? 'no message'}`)
    return json
  }

  /**
   * True when nothing more will happen without a clock move: every buy has its order (or was
   * refused), and every notification of those orders has its attempts answered and recorded
   * (the game server grants before it answers, so its state is final too).
   */
  async function hostIsQuiet(): Promise<boolean> {
    for (const buy of buys.values()) {
      const order = await orderOf(buy)
      if (!order) {
        if (!buy.settled) return false
        continue
      }
      if (order.status === OrderStatus.PAID && !order.notifications.some((n) => n.kind === 'delivery')) return false
      for (const notification of order.notifications) {
        if (notification.state !== 'pending') continue
        if (notification.attempts.length === 0 || notification.nextAttemptAt === undefined) return false
        const received = gameServer()
          .received()
          .filter((r) => r.event === notification.kind && r.outTradeNo === buy.outTradeNo).length
        if (received < notification.attempts.length) return false
      }
    }
    return true
  }

  /**
   * Polls `check` until it passes, until nothing more can happen without a clock move (then
   * it fails at once), or until the real-time deadline.
   */
  async function eventually(check: () => Promise<{ ok: true } | { ok: false; failure: ExpectationFailed; settled?: boolean }>): Promise<void> {
    const deadline = performance.now() + settleMs
    let wait = 5
    for (;;) {
      const outcome = await check()
      if (outcome.ok) return
      const settled = outcome.settled ?? (await hostIsQuiet())
      if (settled || performance.now() >= deadline) throw outcome.failure
      await new Promise((resolve) => setTimeout(resolve, wait))
      wait = Math.min(wait * 2, 100)
    }
  }

  async function settledResult(buy: BuyState): Promise<MidasPaymentGameItemResult> {
    if (buy.settled) return buy.settled
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ExpectationFailed(
              `buy ${buy.id} has no result after ${formatDuration(settleMs)} of real time: its sheet is still open (a slow sheet needs advanceClock; a manual one an answer)`,
              'a result',
              'still waiting',
            ),
          ),
        settleMs,
      )
    })
    try {
      return await Promise.race([buy.result, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  const steps: Record<ScenarioStep['kind'], (step: never) => Promise<string | void>> = {
    login: async (playerId: string) => {
      const player = await playerFor(playerId)
      const code = await player.payments.login()
      const { openid } = await gameJson<{ openid: string }>('POST', '/login', { code })
      openids.set(playerId, openid)
      return `${playerId} is ${openid}`
    },

    buy: async (value: BuyStepValue) => {
      const step = current!
      const id = value.id ?? `#${step.index + 1}`
      const appId = appOf(value.appId)
      if (value.outcome !== undefined || value.delay !== undefined) {
        const policy = value.outcome ?? 'confirm'
        await control.setSheetPolicy({
          playerId: value.player,
          policy,
          ...(policy === 'fail' ? { errCode: value.errCode } : {}),
          ...(value.delay === undefined ? {} : { delayMs: value.delay }),
        })
      }
      const tampers: Tamper[] = value.tamper === undefined ? [] : Array.isArray(value.tamper) ? value.tamper : [value.tamper]
      const outTradeNo = value.outTradeNo ?? (value.reuseOutTradeNo === undefined ? undefined : buyOf(value.reuseOutTradeNo).outTradeNo)
      const signed = await gameJson<{ signData: string; paySig: string; signature: string; outTradeNo: string }>('POST', '/orders', {
        openid: openids.get(value.player),
        productId: value.product,
        quantity: value.quantity ?? 1,
        ...(value.price === undefined ? {} : { price: value.price }),
        ...(value.currency === undefined ? {} : { currency: value.currency }),
        ...(outTradeNo === undefined ? {} : { outTradeNo }),
        ...(value.omitField === undefined ? {} : { omitField: value.omitField }),
        ...(tampers.includes('staleSessionKey') ? { staleSessionKey: true } : {}),
      })
      const params = tamperParams(signed, tampers)
      const player = await playerFor(value.player, appId)
      const result = new Promise<MidasPaymentGameItemResult>((resolve) => {
        player.wx.requestMidasPaymentGameItem({ ...(params as unknown as RequestMidasPaymentGameItemOption), success: resolve, fail: resolve })
      })
      const buy: BuyState = { id, player: value.player, appId, outTradeNo: signed.outTradeNo, line: step.line, result }
      void result.then((settled) => (buy.settled = settled))
      buys.set(id, buy)
      if (value.wait === false) return `buy ${id} (${signed.outTradeNo}) started`
      const expected = value.expect ?? (value.outcome === 'cancel' ? 1 : value.outcome === 'fail' ? value.errCode! : 0)
      const got = await settledResult(buy)
      expectErrCode(`buy ${id}`, expected, got)
      return `buy ${id} (${signed.outTradeNo}): errCode ${got.errCode}`
    },

    expectResult: async ({ buy, errCode }: { buy: string; errCode: number }) => {
      const got = await settledResult(buyOf(buy))
      expectErrCode(`buy ${buy}`, errCode, got)
    },

    receiver: async (value: { failNext?: number; down?: true; up?: true; slowMs?: number }) => {
      const receiver = gameServer().receiver
      if (value.failNext !== undefined) receiver.failNext(value.failNext)
      else if (value.down) receiver.down()
      else if (value.up) receiver.up()
      else if (value.slowMs !== undefined) receiver.slow(value.slowMs)
    },

    advanceClock: async (ms: number) => {
      const clock = await control.clock({ advanceMs: ms })
      return `clock at ${new Date(clock.nowMs).toISOString()}`
    },

    expectDelivery: async (value: { buy: string; delivered?: boolean; within?: number; attempts?: number; granted?: number }) => {
      const buy = buyOf(value.buy)
      const wanted = value.delivered ?? true
      await eventually(async () => {
        const order = await orderOf(buy)
        const received = gameServer().received().filter((r) => r.event === 'delivery' && r.outTradeNo === buy.outTradeNo).length
        const granted = gameServer().grantCount(buy.outTradeNo)
        const notification = order?.notifications.find((n) => n.kind === 'delivery')
        const hostAttempts = notification?.attempts.length ?? 0
        // Nothing more happens without a clock move once every attempt made is answered and recorded.
        const settled = Boolean(order) && (!notification || notification.state !== 'pending' || (hostAttempts > 0 && hostAttempts <= received && notification.nextAttemptAt !== undefined))
        const delivered = Boolean(order?.deliveredAt)
        const state = describeDelivery(order, received, notification)
        if (!order) {
          // A buy the host refused has no order, so nothing was delivered; until its result is in, the order may still come.
          if (!wanted && buy.settled) return value.attempts === undefined || value.attempts === received ? { ok: true } : { ok: false, settled: true, failure: new ExpectationFailed(`buy ${buy.id}: the game server received ${received} delivery notification(s), expected ${value.attempts}`, String(value.attempts), String(received)) }
          return { ok: false, settled: Boolean(buy.settled), failure: new ExpectationFailed(`buy ${buy.id}: the host has no order ${buy.outTradeNo}`, wanted ? 'delivered' : 'an order', `no order (the buy ended with ${buy.settled ? `errCode ${buy.settled.errCode}` : 'no result yet'})`) }
        }
        if (delivered !== wanted) {
          return { ok: false, settled: wanted ? settled : true, failure: new ExpectationFailed(`buy ${buy.id} ${wanted ? 'was not delivered' : 'was delivered'}: ${state}`, wanted ? 'delivered' : 'not delivered', state) }
        }
        if (!wanted && !settled) return { ok: false, settled: false, failure: new ExpectationFailed(`buy ${buy.id}: its delivery has not settled: ${state}`, 'not delivered', state) }
        if (wanted && value.within !== undefined) {
          const took = Date.parse(order.deliveredAt) - Date.parse(order.paidAt)
          if (took > value.within) {
            return { ok: false, settled: true, failure: new ExpectationFailed(`buy ${buy.id} was delivered ${formatDuration(took)} after payment, later than within ${formatDuration(value.within)}`, `at most ${formatDuration(value.within)}`, formatDuration(took)) }
          }
        }
        if (value.attempts !== undefined && received !== value.attempts) {
          return { ok: false, settled, failure: new ExpectationFailed(`buy ${buy.id}: the game server received ${received} delivery notification(s), expected ${value.attempts}`, String(value.attempts), `${received} (${state})`) }
        }
        if (value.granted !== undefined && granted !== value.granted) {
          return { ok: false, settled, failure: new ExpectationFailed(`buy ${buy.id}: the game server granted it ${granted} time(s), expected ${value.granted}`, String(value.granted), String(granted)) }
        }
        return { ok: true }
      })
    },

    expectOrder: async (value: { buy: string; status: OrderStatusName; refunded?: number }) => {
      const buy = buyOf(value.buy)
      await eventually(async () => {
        const order = await orderOf(buy)
        const actual = order ? `${STATUS_NAME[order.status] ?? order.statusName}${order.refundedAmount ? `, refunded ${order.refundedAmount}` : ''}` : 'no order'
        const expected = `${value.status}${value.refunded !== undefined ? `, refunded ${value.refunded}` : ''}`
        const ok = order && order.status === STATUS_NUMBER[value.status] && (value.refunded === undefined || order.refundedAmount === value.refunded)
        return ok ? { ok: true } : { ok: false, failure: new ExpectationFailed(`buy ${buy.id}: order ${buy.outTradeNo} is ${actual}, expected ${expected}`, expected, actual) }
      })
    },

    refund: async (value: { buy: string; by: 'player' | 'developer'; amount?: number; reason?: string }) => {
      const buy = buyOf(value.buy)
      if (value.by === 'player') {
        const order = await orderOf(buy)
        if (!order) throw new ExpectationFailed(`buy ${buy.id}: the host has no order ${buy.outTradeNo} to refund`)
        const { refund } = await control.triggerRefund(order.orderNo, value.reason)
        return `refund ${refund.refundNo} of ${refund.amount}: ${refund.status}`
      }
      const result = await gameJson<{ refund_wx_order_id?: string }>('POST', '/refunds', {
        openid: openids.get(buy.player),
        outTradeNo: buy.outTradeNo,
        ...(value.amount === undefined ? {} : { amount: value.amount }),
        ...(value.reason === undefined ? {} : { reason: value.reason }),
      })
      return `refund_order ${result.refund_wx_order_id ?? ''}`
    },

    expectRefundNotification: async (value: { buy: string; amount?: number; count?: number }) => {
      const buy = buyOf(value.buy)
      const count = value.count ?? 1
      await eventually(async () => {
        const refunds = gameServer().refundsOf(buy.outTradeNo)
        const total = refunds.reduce((sum, r) => sum + r.fee, 0)
        const actual = `${refunds.length} refund notification(s)${refunds.length ? `, RefundFee total ${total}` : ''}`
        const expected = `${count} refund notification(s)${value.amount !== undefined ? `, RefundFee total ${value.amount}` : ''}`
        const ok = refunds.length === count && (value.amount === undefined || total === value.amount)
        return ok ? { ok: true } : { ok: false, failure: new ExpectationFailed(`buy ${buy.id}: the game server accepted ${actual}, expected ${expected}`, expected, actual) }
      })
    },

    expectInventory: async (value: { player: string; product: string; quantity: number }) => {
      const openid = openids.get(value.player)!
      await eventually(async () => {
        const inventory = await gameJson<{ items: { productId: string; quantity: number }[] }>('GET', `/inventory/${encodeURIComponent(openid)}`)
        const quantity = inventory.items.find((i) => i.productId === value.product)?.quantity ?? 0
        return quantity === value.quantity
          ? { ok: true }
          : { ok: false, failure: new ExpectationFailed(`${value.player} has ${quantity} ${value.product}, expected ${value.quantity}`, String(value.quantity), String(quantity)) }
      })
    },

    http: async (value: { get: string; status?: number; json?: unknown }) => {
      const url = await expandUrl(value.get)
      const status = value.status ?? 200
      await eventually(async () => {
        const response = await fetch(url)
        const text = await response.text()
        if (response.status !== status) {
          return { ok: false, failure: new ExpectationFailed(`GET ${url} answered HTTP ${response.status}, expected ${status}`, String(status), `${response.status} ${text.slice(0, 200)}`) }
        }
        if (value.json === undefined) return { ok: true }
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          return { ok: false, failure: new ExpectationFailed(`GET ${url} did not answer JSON`, 'JSON', text.slice(0, 200)) }
        }
        const mismatch = jsonMismatch(value.json, body, '$')
        return mismatch === undefined
          ? { ok: true }
          : { ok: false, failure: new ExpectationFailed(`GET ${url}: ${mismatch}`, JSON.stringify(value.json), JSON.stringify(body).slice(0, 500)) }
      })
    },

    fault: async (value: { kind: string; count?: number; delay?: number }) => {
      await control.setFaults(scenario.game, value.kind === 'none' ? [] : [{ kind: value.kind, count: value.count ?? 1, ...(value.delay === undefined ? {} : { delayMs: value.delay }) }])
    },

    sheetPolicy: async (value: { player?: string; policy: 'manual' | 'confirm' | 'cancel' | 'fail'; errCode?: number; delay?: number }) => {
      await control.setSheetPolicy({
        ...(value.player === undefined ? {} : { playerId: value.player }),
        policy: value.policy,
        ...(value.errCode === undefined ? {} : { errCode: value.errCode }),
        ...(value.delay === undefined ? {} : { delayMs: value.delay }),
      })
    },
  }

  async function expandUrl(template: string): Promise<string> {
    let url = template
    for (const [whole, name, arg] of template.matchAll(/\{([A-Za-z]+)(?::([^}]*))?\}/g)) {
      let value = ''
      if (name === 'sandbox') value = control.url
      else if (name === 'game') value = gameServer().url
      else if (name === 'appId') value = scenario.game
      else if (name === 'openid') value = openids.get(arg!) ?? ''
      else if (name === 'outTradeNo') value = buyOf(arg!).outTradeNo
      else if (name === 'orderNo') value = (await orderOf(buyOf(arg!)))?.orderNo ?? ''
      url = url.replace(whole, name === 'sandbox' || name === 'game' ? value : encodeURIComponent(value))
    }
    return url
  }

  async function checkGeneration(): Promise<void> {
    const info = await control.info().catch((error: unknown) => {
      throw new SandboxWasReset(`GET /_sim/sandbox: ${(error as Error).message}`)
    })
    if (info.generation !== generation) throw new SandboxWasReset(`generation ${generation} -> ${info.generation}`)
  }

  async function body(): Promise<void> {
    const info = await control.reset(scenario.fixture ?? options.defaultFixture ?? DEFAULT_FIXTURE)
    created = true
    generation = info.generation
    await control.clock({ frozen: true })
    const config = await control.miniGame(scenario.game)
    if (!config.appKey) {
      throw new Error(`mini game ${scenario.game} has no AppKey in fixture "${info.fixture}" (its delivery configuration was never saved): a scenario needs a game set up for payment, as in the demo fixture`)
    }
    game = await startTestGameServer({
      hostUrl: control.url,
      appId: config.appId,
      appSecret: config.appSecret,
      appKey: config.appKey,
      prices: { ...DEFAULT_PRICES, ...scenario.prices },
    })
    await control.configureDelivery(scenario.game, game.deliveryUrl)
    for (const player of scenario.players) await playerFor(player)
    await checkGeneration()
    for (const step of scenario.steps) {
      current = step
      const note = await Promise.race([steps[step.kind](step.value as never), resetSignal])
      await checkGeneration()
      stepsRun += 1
      log.push(`ok   step ${step.index + 1} (line ${step.line}) ${step.kind}${note ? `: ${note}` : ''}`)
    }
  }

  let failure: StepFailure | undefined
  const timeoutMs = scenario.timeoutMs ?? options.scenarioTimeoutMs ?? 60_000
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the scenario did not finish within ${formatDuration(timeoutMs)} of real time`)), timeoutMs)
    })
    await Promise.race([body(), timeout, resetSignal])
  } catch (caught) {
    let error = caught
    // Whatever broke, a reset underneath explains it better.
    if (!(error instanceof SandboxWasReset) && created) await checkGeneration().catch((reset: unknown) => (error = reset))
    failure = {
      type: error instanceof ExpectationFailed ? 'failure' : 'error',
      ...(current ? { stepIndex: current.index, stepKind: current.kind, line: current.line } : {}),
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof ExpectationFailed && error.expected !== undefined ? { expected: error.expected } : {}),
      ...(error instanceof ExpectationFailed && error.actual !== undefined ? { actual: error.actual } : {}),
    }
    log.push(`FAIL ${current ? `step ${current.index + 1} (line ${current.line}) ${current.kind}` : 'setting up'}: ${failure.message}`)
  } finally {
    clearTimeout(timer)
    await Promise.allSettled([...players.values()].map((p) => p.close()))
    await game?.close()
    if (created) await control.remove().catch(() => {})
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

function expectErrCode(what: string, expected: number, got: MidasPaymentGameItemResult): void {
  if (got.errCode === expected) return
  throw new ExpectationFailed(`${what} ended with errCode ${got.errCode} (${got.errMsg}), expected ${expected}`, `errCode ${expected}`, `errCode ${got.errCode}: ${got.errMsg}`)
}

/** What the client passes to wx.requestMidasPaymentGameItem, broken the way the scenario asks. */
function tamperParams(signed: { signData: string; paySig: string; signature: string }, tampers: readonly Tamper[]): Record<string, unknown> {
  const params: Record<string, unknown> = { signData: signed.signData, paySig: signed.paySig, signature: signed.signature }
  const flip = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`
  for (const tamper of tampers) {
    if (tamper === 'badPaySig') params.paySig = flip(signed.paySig)
    else if (tamper === 'badSignature') params.signature = flip(signed.signature)
    else if (tamper === 'signDataAsObject') params.signData = JSON.parse(signed.signData)
    else if (tamper === 'signDataNotJson') params.signData = `${signed.signData.slice(0, -1)},`
    else if (tamper === 'omitSignData') delete params.signData
    else if (tamper === 'omitPaySig') delete params.paySig
    else if (tamper === 'omitSignature') delete params.signature
  }
  return params
}

function describeDelivery(order: QaOrder | undefined, received: number, notification: QaOrder['notifications'][number] | undefined): string {
  if (!order) return 'no order'
  const status = STATUS_NAME[order.status] ?? order.statusName
  if (!notification) return `order ${status}, no delivery notification`
  const last = notification.attempts.at(-1)
  const lastText = last ? `, last ${last.outcome}${last.status ? ` (HTTP ${last.status})` : last.error ? ` (${last.error})` : ''}` : ''
  const next = notification.nextAttemptAt && order.paidAt ? `; next attempt due ${formatDuration(Math.max(0, Date.parse(notification.nextAttemptAt) - Date.parse(order.paidAt)))} after payment: advance the clock?` : ''
  return `order ${status}, ${notification.attempts.length} host attempt(s)${lastText}, ${received} received by the game server${notification.state === 'failed' ? ', the host gave up' : next}`
}

/** Undefined when `actual` contains `expected` (objects by subset, arrays element by element); else where it differs. */
export function jsonMismatch(expected: unknown, actual: unknown, at: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at} is ${JSON.stringify(actual)}, expected an array`
    if (actual.length !== expected.length) return `${at} has ${actual.length} element(s), expected ${expected.length}`
    for (let i = 0; i < expected.length; i++) {
      const inner = jsonMismatch(expected[i], actual[i], `${at}[${i}]`)
      if (inner) return inner
    }
    return undefined
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${at} is ${JSON.stringify(actual)}, expected an object`
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key} is missing`
      const inner = jsonMismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`)
      if (inner) return inner
    }
    return undefined
  }
  return Object.is(expected, actual) ? undefined : `${at} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`
}
