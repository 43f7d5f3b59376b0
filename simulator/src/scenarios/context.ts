import { connectHeadlessPlayer, type HeadlessPlayer } from '@superapp-sim/game-sdk/node'
import type { MidasPaymentGameItemResult } from '@superapp-sim/game-sdk'
import type { TestGameServer } from '@superapp-sim/game-sdk/testing'
import { SimulatorError } from '../errors'
import { CLOSE_SANDBOX_RESET } from '../sandbox/core'
import { expectationFailed } from './expectations'
import { requestJson } from './jsonClient'
import type { QaOrder, SandboxControl } from './sandboxControl'
import type { Scenario, ScenarioStep, StepKind, StepValue } from './schema'

/**
 * The state of one running scenario that its steps share: the sandbox client, the game
 * server, the players and what they bought, and the AbortSignal that ends it. Why a
 * signal: a timed-out (or reset) scenario is cleaned up at once, but its body may still be
 * inside a step; every step, poll and resource it opens checks the signal, so the body stops
 * at the next one instead of connecting players to a sandbox that is gone.
 */

export interface BuyState {
  id: string
  player: string
  appId: string
  outTradeNo: string
  line: number
  result: Promise<MidasPaymentGameItemResult>
  settled?: MidasPaymentGameItemResult
}

interface Closable {
  close(): Promise<unknown>
}

export class ScenarioContext {
  readonly openids = new Map<string, string>()
  readonly buys = new Map<string, BuyState>()
  /** The step running now (undefined while setting up). */
  current: ScenarioStep | undefined
  /** Rejects with the abort reason (a timeout, a reset) once the scenario is aborted. */
  readonly aborted: Promise<never>
  private game: TestGameServer | undefined
  private readonly players = new Map<string, HeadlessPlayer>()
  private readonly owned: Closable[] = []
  private readonly controller = new AbortController()

  constructor(
    readonly scenario: Scenario,
    readonly control: SandboxControl,
    /** Real time given to what happens without a clock move. */
    readonly settleMs: number,
  ) {
    this.aborted = new Promise<never>((_, reject) => {
      this.controller.signal.addEventListener('abort', () => reject(this.controller.signal.reason), { once: true })
    })
    this.aborted.catch(() => {})
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Ends the scenario: the body stops at its next checkpoint. The first reason wins. */
  abort(reason: SimulatorError): void {
    if (!this.signal.aborted) this.controller.abort(reason)
  }

  /** Throws the abort reason once the scenario is aborted: called between steps, polls and setup calls. */
  checkpoint(): void {
    this.signal.throwIfAborted()
  }

  /** Waits for `work`, or throws as soon as the scenario is aborted. */
  async race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.aborted])
  }

  /** Keeps a resource to close at the end; one that arrives after the end is closed at once. */
  async own<T extends Closable>(resource: T): Promise<T> {
    if (this.signal.aborted) {
      await resource.close().catch(() => {})
      throw this.signal.reason
    }
    this.owned.push(resource)
    return resource
  }

  /** Closes what the scenario opened (players, the game server). */
  async closeAll(): Promise<void> {
    await Promise.allSettled(this.owned.splice(0).map((resource) => resource.close()))
  }

  setGameServer(game: TestGameServer): void {
    this.game = game
  }

  gameServer(): TestGameServer {
    if (!this.game) throw new SimulatorError('INTERNAL', 'the scenario game server is not started yet')
    return this.game
  }

  buyOf(id: string): BuyState {
    const buy = this.buys.get(id)
    if (!buy) throw new SimulatorError('INTERNAL', `no buy "${id}" (the loader checks references: a bug)`)
    return buy
  }

  orderOf(buy: BuyState): Promise<QaOrder | undefined> {
    return this.control.order(buy.appId, buy.outTradeNo)
  }

  /** The player's headless host connection, opened on first use; its close by a reset aborts the scenario. */
  async playerFor(playerId: string, appId = this.scenario.game): Promise<HeadlessPlayer> {
    const key = `${appId}\n${playerId}`
    const known = this.players.get(key)
    if (known) return known
    this.checkpoint()
    const player = await this.own(await connectHeadlessPlayer({ simulatorUrl: this.control.url, appId, playerId, sheet: 'confirm' }))
    this.players.set(key, player)
    void player.closed.then(({ code, reason }) => {
      if (code === CLOSE_SANDBOX_RESET) this.abort(resetError(`${playerId}'s host connection closed: ${reason || 'sandbox reset'}`))
    })
    return player
  }

  /** A call to the scenario's game server; a refusal is a failed expectation (the host or the game refused). */
  async gameJson<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    this.checkpoint()
    const service = { baseUrl: this.gameServer().url, name: 'the scenario game server', hint: 'it runs inside the scenario runner: this is a bug, please report it.' }
    try {
      return await requestJson<T>(service, method, path, body)
    } catch (error) {
      if (error instanceof SimulatorError && error.code !== 'UNREACHABLE') throw expectationFailed(`the game server refused a call: ${error.message}`)
      throw error
    }
  }
}

/** Raised when someone else resets or deletes the scenario's sandbox while it runs. */
export function resetError(detail = ''): SimulatorError {
  return new SimulatorError('SANDBOX_RESET', `the sandbox was reset during the scenario${detail ? ` (${detail})` : ''}`)
}

/**
 * One step kind's implementation (the table is in steps.ts, the steps in purchaseSteps.ts and
 * checkSteps.ts): resolves with a note for the log, or throws. Beside the context so the step
 * modules and the table import it from a leaf, not from each other.
 */
export type StepRunner<K extends StepKind> = (ctx: ScenarioContext, value: StepValue<K>, step: ScenarioStep) => Promise<string | void>
