import { EventEmitter } from 'node:events'

/** What happens in the simulator that a watcher (the host shell, QA tools) may want to see. */
export type SimEvent =
  | { type: 'order.created'; appId: string; orderNo: string; outTradeNo: string; playerId: string }
  | { type: 'order.paid'; appId: string; orderNo: string; outTradeNo: string; playerId: string }
  | { type: 'order.closed'; appId: string; orderNo: string; outTradeNo: string; playerId: string }
  | {
      type: 'refund.requested' | 'refund.succeeded' | 'refund.rejected'
      appId: string
      orderNo: string
      outTradeNo: string
      refundNo: string
      /** Minor units of `currency` (299 is $2.99). */
      amount: number
      /** The order's currency; absent when the order was not found. */
      currency?: string
      source: 'player' | 'developer'
    }
  | {
      type: 'delivery.attempt'
      notificationId: string
      kind: 'delivery' | 'refund' | 'test'
      appId: string
      orderNo: string
      outTradeNo: string
      url: string
      outcome: 'success' | 'failure'
      status?: number
      latencyMs: number
      error?: string
      /** The start of the game server's reply, as the attempt keeps it. */
      responseBody?: string
      /** When the next retry is due, if any. */
      nextAttemptAt?: string
    }

  | { type: 'sandbox.reset'; sandbox: string; fixture: string; generation: number }
  | { type: 'clock.moved'; from: string; to: string; frozen: boolean }

/** `seq` orders a sandbox's events and is the cursor QA tools read from. */
export type SimEventWithTime = SimEvent & { at: string; seq: number }

/** How many past events a sandbox keeps for `GET /_sim/events?after=`. */
export const EVENT_HISTORY = 10_000

/**
 * A typed, in-process event bus with a bounded history, so a QA tool that connects late
 * (or reconnects) reads what it missed since its cursor. Emitting never throws into the
 * emitter's caller.
 */
export class EventBus {
  private readonly emitter = new EventEmitter()
  private readonly history: SimEventWithTime[] = []
  private seq: number

  constructor(
    private readonly now: () => number,
    /** Where numbering starts: a reset sandbox continues its predecessor's, so cursors stay valid. */
    firstSeq = 1,
  ) {
    this.emitter.setMaxListeners(0)
    this.seq = firstSeq - 1
  }

  /** The seq of the newest event (0 before any). */
  get cursor(): number {
    return this.seq
  }

  /** Events after `after`, oldest first, at most `limit`, optionally only types starting with `typePrefix`. */
  since(after: number, limit: number, typePrefix = ''): SimEventWithTime[] {
    const out: SimEventWithTime[] = []
    // The history is in seq order: skip what the reader has by binary search.
    let low = 0
    let high = this.history.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (this.history[mid]!.seq <= after) low = mid + 1
      else high = mid
    }
    for (let i = low; i < this.history.length && out.length < limit; i++) {
      const event = this.history[i]!
      if (event.type.startsWith(typePrefix)) out.push(event)
    }
    return out
  }

  emit(event: SimEvent): void {
    const stamped: SimEventWithTime = { ...event, at: new Date(this.now()).toISOString(), seq: ++this.seq }
    this.history.push(stamped)
    // Trimmed in batches so a full history does not shift 10,000 entries per event.
    if (this.history.length > EVENT_HISTORY + 1000) this.history.splice(0, this.history.length - EVENT_HISTORY)
    try {
      this.emitter.emit('event', stamped)
    } catch {
      // A broken listener must not fail a payment or a delivery.
    }
  }

  subscribe(listener: (event: SimEventWithTime) => void): () => void {
    this.emitter.on('event', listener)
    return () => this.emitter.off('event', listener)
  }
}
