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
      amount: number
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
      /** When the next retry is due, if any. */
      nextAttemptAt?: string
    }

export type SimEventWithTime = SimEvent & { at: string }

/** A typed, in-process event bus. Emitting never throws into the emitter's caller. */
export class EventBus {
  private readonly emitter = new EventEmitter()

  constructor(private readonly now: () => number) {
    this.emitter.setMaxListeners(0)
  }

  emit(event: SimEvent): void {
    const stamped: SimEventWithTime = { ...event, at: new Date(this.now()).toISOString() }
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
