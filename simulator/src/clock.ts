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

/**
 * A sandbox's clock: the base clock (the system's, or a test's ManualClock) moved by an
 * offset that only grows, and optionally frozen. QA moves it through `/_sim/clock`; timers
 * set on it fall due by its own time, whether that time moved by itself or by a jump.
 * Time never goes back: stored timestamps and retry schedules stay in order.
 */
export class SandboxClock implements Clock {
  private offset = 0
  private frozenAt: number | undefined
  private timers: { at: number; seq: number; fn: () => void }[] = []
  private seq = 0
  private cancelArmed: (() => void) | undefined
  private stopped = false

  constructor(
    private readonly base: Clock = systemClock,
    options: { start?: number; frozen?: boolean } = {},
  ) {
    // A new sandbox may start anywhere, in the past too; from then on time only moves forward.
    if (options.start !== undefined) this.offset = options.start - base.now()
    if (options.frozen) this.frozenAt = this.now()
  }

  now(): number {
    return this.frozenAt ?? this.base.now() + this.offset
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined
  }

  get pendingTimers(): number {
    return this.timers.length
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.now() + Math.max(0, ms), seq: this.seq++, fn }
    this.timers.push(timer)
    this.arm()
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
      this.arm()
    }
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward')
    this.moveTo(this.now() + ms)
  }

  /** Moves time forward to `at` (epoch ms). */
  set(at: number): void {
    if (at < this.now()) throw new RangeError(`the clock only moves forward: it is ${new Date(this.now()).toISOString()}`)
    this.moveTo(at)
  }

  freeze(frozen: boolean): void {
    if (frozen && this.frozenAt === undefined) this.frozenAt = this.now()
    if (!frozen && this.frozenAt !== undefined) {
      this.offset = this.frozenAt - this.base.now()
      this.frozenAt = undefined
    }
    this.arm()
  }

  /** Cancels every timer: the sandbox this clock belonged to is gone. */
  stop(): void {
    this.stopped = true
    this.timers = []
    this.cancelArmed?.()
  }

  private moveTo(target: number): void {
    for (;;) {
      const due = this.nextTimer()
      if (!due || due.at > target) break
      this.timers = this.timers.filter((t) => t !== due)
      this.shiftTo(due.at)
      due.fn()
    }
    this.shiftTo(target)
    this.arm()
  }

  private shiftTo(at: number): void {
    if (at <= this.now()) return
    if (this.frozenAt !== undefined) this.frozenAt = at
    else this.offset = at - this.base.now()
  }

  private nextTimer() {
    let next: (typeof this.timers)[number] | undefined
    for (const t of this.timers) if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t
    return next
  }

  /** While running, one base timer stands for the earliest of ours. */
  private arm(): void {
    this.cancelArmed?.()
    this.cancelArmed = undefined
    if (this.stopped || this.frozenAt !== undefined) return
    const next = this.nextTimer()
    if (!next) return
    this.cancelArmed = this.base.setTimer(Math.max(0, next.at - this.now()), () => {
      this.cancelArmed = undefined
      this.moveTo(this.now())
    })
  }
}
