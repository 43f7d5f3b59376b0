/**
 * What one measured slice of a bench worker returns, and how slices make a measurement: a
 * configuration is measured in several short slices per round, interleaved with the other
 * configurations' (bench/run.ts), and its figures are those of all its slices together.
 */
import { median, percentileOfSorted, round } from './stats'

/** Where a purchase's time goes, in ms: one purchase's hops, or the medians of a measurement's purchases. */
export interface Hops {
  /** The game server signs the order (the player's POST /api/orders over fetch). */
  sign: number
  /** The player's call over its WebSocket until the host opened the sheet (event order.created). */
  openSheet: number
  /** The sheet policy confirms: order paid and its notification written (event order.paid). */
  confirm: number
  /** The notification POSTed, verified and acknowledged by the game server, the attempt recorded (event delivery.attempt). */
  deliveryAcknowledged: number
  /** The purchase from the order request to both the player told and the delivery acknowledged. */
  total: number
  /** In parallel with the delivery: from payment to the result at the player, over its WebSocket. */
  resultToPlayer: number
  /** Part of deliveryAcknowledged: the notification's HTTP round trip as the attempt records it (whole ms). */
  deliveryHttp: number
}

/** One measured slice, raw: what a worker sends back. */
export interface Slice {
  /** The span the rate is taken over: the slice's own seconds (its tail of operations still running left out). */
  seconds: number
  /** Operations completed within `seconds`. */
  completed: number
  /** Latency of every operation the slice ran, its tail included (one purchase, one request, one scenario), in ms. */
  latencies: number[]
  /** CPU this process (client and servers alike) used during the slice, in ms. */
  cpuMs: number
  httpRequests: number
  connectionsOpened: number
  /** Resident memory of the worker after the slice. */
  rssMb: number
  /** Each purchase's hops (purchase workers). */
  hops?: Hops[]
  /** Scenarios that did not pass (scenarios worker). */
  failed?: number
}

/** A configuration's figures over one or more slices. */
export interface Measurement {
  /** Operations run: requests, purchases, or scenarios. */
  ops: number
  /** The span the rate is taken over, and the rate: operations completed within it per second. */
  seconds: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  /** HTTP requests the worker made, and the TCP connections it opened for them. */
  httpRequests: number
  connectionsOpened: number
  /**
   * CPU time the worker spent per operation: what an operation costs, which other processes
   * on the machine change less than the rate (but do change: docs/decisions/011-bench-method.md).
   */
  cpuMsPerOp: number
  /** Resident memory of the worker after its last slice. */
  rssMb: number
  /** The median of each hop over every purchase. */
  hops?: Hops
  failed?: number
}

/** The figures of `slices` taken together: operations and time summed, percentiles and CPU over every operation run. */
export function measurementOf(slices: readonly Slice[]): Measurement {
  if (slices.length === 0) throw new Error('a measurement needs at least one slice')
  const sum = (pick: (slice: Slice) => number) => slices.reduce((total, slice) => total + pick(slice), 0)
  const latencies = slices.flatMap((slice) => slice.latencies).sort((a, b) => a - b)
  const ops = latencies.length
  const seconds = sum((slice) => slice.seconds)
  const hopSamples = slices.flatMap((slice) => slice.hops ?? [])
  const measurement: Measurement = {
    ops,
    seconds: round(seconds, 3),
    perSecond: round(seconds > 0 ? sum((slice) => slice.completed) / seconds : 0, 1),
    p50Ms: round(percentileOfSorted(latencies, 50)),
    p99Ms: round(percentileOfSorted(latencies, 99)),
    httpRequests: sum((slice) => slice.httpRequests),
    connectionsOpened: sum((slice) => slice.connectionsOpened),
    cpuMsPerOp: round(ops > 0 ? sum((slice) => slice.cpuMs) / ops : 0, 3),
    rssMb: slices.at(-1)!.rssMb,
  }
  if (hopSamples.length > 0) {
    measurement.hops = Object.fromEntries((Object.keys(hopSamples[0]!) as Array<keyof Hops>).map((hop) => [hop, round(median(hopSamples.map((s) => s[hop])))])) as unknown as Hops
  }
  if (slices.some((slice) => slice.failed !== undefined)) measurement.failed = sum((slice) => slice.failed ?? 0)
  return measurement
}
