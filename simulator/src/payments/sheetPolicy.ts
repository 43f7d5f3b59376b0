import { z } from 'zod'
import { SHEET_POLICIES } from '@superapp-sim/game-sdk'
import { ErrCode } from '@superapp-sim/game-sdk'

export { SHEET_POLICIES }

/** The errCodes a failing sheet may end with: the host's own failures, not the game's mistakes. */
export const SHEET_FAILURE_CODES = [ErrCode.SYSTEM_FAILURE, ErrCode.PAYMENT_CANCELLED, ErrCode.PARAMETER_ERROR] as const

/**
 * How the payment sheet is answered. `manual`: the player answers (a click in the host
 * shell, or the headless player's own choice). The others answer for the player, after
 * `delayMs` of simulator-clock time, so a slow sheet is driven by the clock, not by sleeps.
 * The wire's policy shape (game-sdk channel.ts) with the rules the host enforces when QA
 * sets one.
 */
export const sheetPolicyShape = {
  policy: z.enum(SHEET_POLICIES),
  errCode: z
    .number()
    .int()
    .refine((code) => (SHEET_FAILURE_CODES as readonly number[]).includes(code), { message: `errCode must be one of ${SHEET_FAILURE_CODES.join(', ')}` })
    .optional(),
  delayMs: z.number().int().min(0).max(24 * 3600e3).optional(),
}

/** The rules across fields, for the policy alone and for bodies that carry one. */
export function withPolicyRules<S extends z.ZodType<{ policy: string; errCode?: number; delayMs?: number }>>(schema: S) {
  return schema
    .refine((p) => p.errCode === undefined || p.policy === 'fail', { message: 'errCode applies to the fail policy only', path: ['errCode'] })
    .refine((p) => p.delayMs === undefined || p.policy !== 'manual', { message: 'delayMs applies to confirm, cancel and fail (a manual sheet waits for the player)', path: ['delayMs'] })
}

export const sheetPolicySchema = withPolicyRules(z.strictObject(sheetPolicyShape))

export type SheetPolicy = z.infer<typeof sheetPolicySchema>

export const MANUAL: SheetPolicy = { policy: 'manual' }

/** The sheet policy of one sandbox: a global one and per-player overrides. */
export class SheetPolicies {
  private global: SheetPolicy = MANUAL
  private readonly players = new Map<string, SheetPolicy>()

  for(playerId: string): SheetPolicy {
    return this.players.get(playerId) ?? this.global
  }

  set(policy: SheetPolicy, playerId?: string): void {
    if (playerId === undefined) this.global = policy
    else this.players.set(playerId, policy)
  }

  clear(): void {
    this.global = MANUAL
    this.players.clear()
  }

  toJSON(): { global: SheetPolicy; players: Record<string, SheetPolicy> } {
    return { global: this.global, players: Object.fromEntries(this.players) }
  }
}
