import type { FaultKind } from '../store/model'

export interface FaultPlan {
  kind: FaultKind
  /** How many of the next deliveries it applies to. */
  remaining: number
  /** For `delay`: how long (simulator clock) each delivery is held before its first attempt. */
  delayMs?: number
}

/**
 * Faults QA injects per mini game, applied to the next N deliveries. Kept in memory: a
 * test-control setting, like the clock, not data; a restart clears it.
 */
export class FaultBook {
  private readonly plans = new Map<string, FaultPlan[]>()

  set(appId: string, plans: FaultPlan[]): void {
    this.plans.set(appId, plans.filter((p) => p.remaining > 0).map((p) => ({ ...p })))
  }

  list(appId: string): FaultPlan[] {
    return (this.plans.get(appId) ?? []).filter((p) => p.remaining > 0).map((p) => ({ ...p }))
  }

  /** Takes one use of a fault of that kind, if one is armed; returns it. */
  take(appId: string, kind: FaultKind): FaultPlan | undefined {
    const plan = this.plans.get(appId)?.find((p) => p.kind === kind && p.remaining > 0)
    if (!plan) return undefined
    plan.remaining -= 1
    return { ...plan }
  }

  armed(appId: string, kind: FaultKind): FaultPlan | undefined {
    return this.plans.get(appId)?.find((p) => p.kind === kind && p.remaining > 0)
  }

  clear(): void {
    this.plans.clear()
  }
}
