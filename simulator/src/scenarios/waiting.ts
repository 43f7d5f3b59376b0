import { setTimeout as delay } from 'node:timers/promises'
import type { MidasPaymentGameItemResult } from '@superapp-sim/game-sdk'
import type { SimulatorError } from '../errors'
import { OrderStatus } from '../store/model'
import type { BuyState, ScenarioContext } from './context'
import { expectationFailed } from './expectations'
import { formatDuration } from './schema'

/**
 * How a step waits for what the host does without a clock move (the first delivery attempt
 * after payment, a refund notification, a sheet's answer): a bounded real-time poll that
 * ends early once nothing more can happen, never a fixed sleep. Every wait also ends at
 * once when the scenario is aborted (timeout, reset).
 */

export type Check = () => Promise<{ ok: true } | { ok: false; failure: SimulatorError; settled?: boolean }>

/**
 * True when nothing more will happen without a clock move: every buy has its order (or was
 * refused), and every notification of those orders has its attempts answered and recorded
 * (the game server grants before it answers, so its state is final too).
 */
export async function hostIsQuiet(ctx: ScenarioContext): Promise<boolean> {
  for (const buy of ctx.buys.values()) {
    const order = await ctx.orderOf(buy)
    if (!order) {
      if (!buy.settled) return false
      continue
    }
    if (order.status === OrderStatus.PAID && !order.notifications.some((n) => n.kind === 'delivery')) return false
    for (const notification of order.notifications) {
      if (notification.state !== 'pending') continue
      if (notification.attempts.length === 0 || notification.nextAttemptAt === undefined) return false
      const received = ctx
        .gameServer()
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
export async function eventually(ctx: ScenarioContext, check: Check): Promise<void> {
  const deadline = performance.now() + ctx.settleMs
  let wait = 5
  for (;;) {
    ctx.checkpoint()
    const outcome = await check()
    if (outcome.ok) return
    const settled = outcome.settled ?? (await hostIsQuiet(ctx))
    if (settled || performance.now() >= deadline) throw outcome.failure
    await ctx.race(delay(wait))
    wait = Math.min(wait * 2, 100)
  }
}

/** The buy's result, once the player has it: at most the settle time of real time. */
export async function settledResult(ctx: ScenarioContext, buy: BuyState): Promise<MidasPaymentGameItemResult> {
  if (buy.settled) return buy.settled
  const timeout = new AbortController()
  const tooLate = delay(ctx.settleMs, undefined, { signal: timeout.signal }).then(() => {
    throw expectationFailed(
      `buy ${buy.id} has no result after ${formatDuration(ctx.settleMs)} of real time: its sheet is still open (a slow sheet needs advanceClock; a manual one an answer)`,
      'a result',
      'still waiting',
    )
  })
  tooLate.catch(() => {})
  try {
    return await ctx.race(Promise.race([buy.result, tooLate]))
  } finally {
    timeout.abort()
  }
}
