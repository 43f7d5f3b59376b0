import { errorMessage } from '@superapp-sim/game-sdk'
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

/**
 * Timers ordered by due time, then by creation: the one queue behind ManualClock and
 * SandboxClock. A callback that throws is reported and does not stop the timers after it.
 */
class TimerQueue {
  private timers: { at: number; seq: number; fn: () => void }[] = []
  private seq = 0

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.timers.length
  }

  add(at: number, fn: () => void): () => void {
    const timer = { at, seq: this.seq++, fn }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }

  /** When the earliest timer is due, if any. */
  nextAt(): number | undefined {
    return this.next()?.at
  }

  /**
   * Runs every timer due at or before `target`, in order, telling `moveTo` each one's time
   * first (so a callback reads its own time and what it schedules lands in order).
   */
  runUntil(target: number, moveTo: (at: number) => void): void {
    for (;;) {
      const due = this.next()
      if (!due || due.at > target) return
      this.timers = this.timers.filter((t) => t !== due)
      moveTo(due.at)
      try {
        due.fn()
      } catch (error) {
        this.onError(error)
      }
    }
  }

  clear(): void {
    this.timers = []
  }

  private next() {
    let next: (typeof this.timers)[number] | undefined
    for (const t of this.timers) if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t
    return next
  }
}

const reportTimerError = (error: unknown) => console.error(`[clock] a timer failed: ${errorMessage(error, { stack: true })}`)

/** A clock that moves only when told to; timers due by then run in time order. */
export class ManualClock implements Clock {
  private current: number
  private readonly timers = new TimerQueue(reportTimerError)

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime()
  }

  now(): number {
    return this.current
  }

  setTimer(ms: number, fn: () => void): () => void {
    return this.timers.add(this.current + Math.max(0, ms), fn)
  }

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.current + ms
    this.timers.runUntil(target, (at) => (this.current = Math.max(this.current, at)))
    this.current = target
  }

  pendingTimers(): number {
    return this.timers.size
  }
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
  private readonly timers: TimerQueue
  private cancelArmed: (() => void) | undefined
  private stopped = false

  constructor(
    private readonly base: Clock = systemClock,
    options: { start?: number; frozen?: boolean; onTimerError?: (error: unknown) => void } = {},
  ) {
    this.timers = new TimerQueue(options.onTimerError ?? reportTimerError)
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
    return this.timers.size
  }

  /** When the earliest timer falls due, if any (QA moves the clock timer by timer). */
  nextDueAt(): number | undefined {
    return this.timers.nextAt()
  }

  setTimer(ms: number, fn: () => void): () => void {
    // A stopped clock belongs to a sandbox that is gone: nothing may run on it any more.
    if (this.stopped) return () => {}
    const cancel = this.timers.add(this.now() + Math.max(0, ms), fn)
    this.arm()
    return () => {
      cancel()
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
    this.timers.clear()
    this.cancelArmed?.()
  }

  private moveTo(target: number): void {
    this.timers.runUntil(target, (at) => this.shiftTo(at))
    this.shiftTo(target)
    this.arm()
  }

  private shiftTo(at: number): void {
    if (at <= this.now()) return
    if (this.frozenAt !== undefined) this.frozenAt = at
    else this.offset = at - this.base.now()
  }

  /** While running, one base timer stands for the earliest of ours. */
  private arm(): void {
    this.cancelArmed?.()
    this.cancelArmed = undefined
    if (this.stopped || this.frozenAt !== undefined) return
    const next = this.timers.nextAt()
    if (next === undefined) return
    this.cancelArmed = this.base.setTimer(Math.max(0, next - this.now()), () => {
      this.cancelArmed = undefined
      this.moveTo(this.now())
    })
  }
}

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString()
}

