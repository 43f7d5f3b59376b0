/**
 * The one clock of the simulator. The delivery engine's retries, order timestamps and (in
 * later issues) refund date ranges all read it, so tests and QA can drive time instead of
 * sleeping.
 */
export interface Clock {
  now(): number
  /** Runs `fn` once the clock has moved `ms` forward. Returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms)
    handle.unref?.()
    return () => clearTimeout(handle)
  },
}

/** A clock that moves only when told to; timers due by then run in time order. */
export class ManualClock implements Clock {
  private current: number
  private timers: { at: number; seq: number; fn: () => void }[] = []
  private seq = 0

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime()
  }

  now(): number {
    return this.current
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.current + ms
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.current = Math.max(this.current, due.at)
      due.fn()
    }
    this.current = target
  }

  pendingTimers(): number {
    return this.timers.length
  }
}

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString()
}
