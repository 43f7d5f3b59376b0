import { expectDelivery, expectInventory, expectOrder, expectRefundNotification, http } from './checkSteps'
import type { ScenarioContext, StepRunner } from './context'
import { buy, expectResult, login, refund } from './purchaseSteps'
import type { ScenarioStep, StepKind } from './schema'

/**
 * The step implementations, one per step kind of schema.ts: a table typed by kind, so a
 * step added to the schema does not compile until it is implemented here. The steps that
 * only set the sandbox or the game server up are here; the others are in purchaseSteps.ts
 * and checkSteps.ts. A step resolves with a note for the log, or throws.
 */

export const STEP_RUNNERS: { [K in StepKind]: StepRunner<K> } = {
  login,
  buy,
  expectResult,
  refund,
  expectDelivery,
  expectOrder,
  expectRefundNotification,
  expectInventory,
  http,

  receiver: async (ctx, value) => {
    const receiver = ctx.gameServer().receiver
    if (value.failNext !== undefined) receiver.failNext(value.failNext)
    else if (value.down) receiver.down()
    else if (value.up) receiver.up()
    else if (value.slowMs !== undefined) receiver.slow(value.slowMs)
  },

  advanceClock: async (ctx, ms) => {
    const clock = await ctx.control.clock({ advanceMs: ms })
    return `clock at ${new Date(clock.nowMs).toISOString()}`
  },

  fault: async (ctx, value) => {
    const faults = value.kind === 'none' ? [] : [{ kind: value.kind, count: value.count ?? 1, ...(value.delay === undefined ? {} : { delayMs: value.delay }) }]
    await ctx.control.setFaults(ctx.scenario.game, faults)
  },

  sheetPolicy: async (ctx, value) => {
    await ctx.control.setSheetPolicy({
      ...(value.player === undefined ? {} : { playerId: value.player }),
      policy: value.policy,
      ...(value.errCode === undefined ? {} : { errCode: value.errCode }),
      ...(value.delay === undefined ? {} : { delayMs: value.delay }),
    })
  },
}

/** Runs one step by its kind. */
export function runStep(ctx: ScenarioContext, step: ScenarioStep): Promise<string | void> {
  return (STEP_RUNNERS[step.kind] as StepRunner<StepKind>)(ctx, step.value as never, step)
}
