/**
 * The parent's side of bench/worker.ts: starts a configuration in a process of its own and
 * asks it for measurements, one at a time.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { measurementOf, type Slice } from './measurement'
import { round } from './stats'
import type { BareClient, StoreOnDisk, Window, WorkerMessage, WorkerRequest, WorkerRole } from './worker'

const workerFile = path.join(import.meta.dirname, 'worker.ts')

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export interface BenchWorker {
  readonly pid: number
  readonly role: WorkerRole
  /** One slice: a warm-up of `warmup`, then `window` measured. */
  measure(concurrency: number, window: Window, warmup: Window, client?: BareClient): Promise<Slice>
  /** Ends the configuration and its process. */
  close(): Promise<void>
  /** Ends the process at once (after a failure elsewhere). */
  kill(): void
}

/** bench/worker.ts in a process of its own, with the repository's sources through tsx, its output on ours. */
function forkWorker(role: WorkerRole, args: string[]): ChildProcess {
  return fork(workerFile, [role, ...args], {
    cwd: path.resolve(import.meta.dirname, '..'),
    execArgv: ['--conditions=superapp-sim-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

/** Runs the `seed` role: `storedOrders` delivered orders written into `dataDir`, by a process that then exits; says what the folder holds. */
export async function seedStoredOrders(dataDir: string, storedOrders: number): Promise<StoreOnDisk> {
  const child = forkWorker('seed', ['--stored-orders', String(storedOrders), '--data-dir', dataDir])
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const failed = (code: number | null, signal: NodeJS.Signals | null) => new Error(`seeding ${storedOrders} stored orders failed (${signal ?? `code ${code}`}); its own message, if any, is above`)
  // The report may arrive after 'exit' (Node does not order the two): wait for it, or for an exit without it.
  const onDisk = await new Promise<StoreOnDisk>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'seeded') resolve(message.onDisk)
    })
    child.once('disconnect', () => void exited.then(([code, signal]) => reject(failed(code, signal))))
  })
  const [code, signal] = await exited
  if (code !== 0) throw failed(code, signal)
  return onDisk
}

/**
 * Starts a worker and resolves once it is set up and warmed up.
 *
 * @example
 * const empty = await startWorker('purchase', ['--data-dir', dir])
 * const { perSecond, hops } = measurementOf([await empty.measure(1, { seconds: 3, minOps: 10 }, { seconds: 0.5, minOps: 5 })])
 */
export async function startWorker(role: WorkerRole, args: string[] = []): Promise<BenchWorker> {
  const child = forkWorker(role, args)
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  let exitError: Error | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitError = new Error(`bench worker ${role} exited (${signal ?? `code ${code}`}); its own message, if any, is above`)
      for (const { reject } of pending.values()) reject(exitError)
      pending.clear()
      resolve()
    }),
  )
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') return resolve()
      if (message.type !== 'reply') return
      const waiting = pending.get(message.id)
      pending.delete(message.id)
      if (message.ok) waiting?.resolve(message.result)
      else waiting?.reject(new Error(`bench worker ${role}: ${message.error}`))
    })
    child.once('error', reject)
    void exited.then(() => reject(exitError))
  })

  function request<T>(body: DistributiveOmit<WorkerRequest, 'id'>): Promise<T> {
    if (exitError) return Promise.reject(exitError)
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      child.send({ ...body, id } as WorkerRequest)
    })
  }

  return {
    pid: child.pid!,
    role,
    measure: (concurrency, window, warmup, client) => request<Slice>({ type: 'measure', concurrency, window, warmup, client }),
    async close() {
      await request<undefined>({ type: 'close' })
      await exited
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}

/** How long to warm a worker up: steps until the CPU an operation costs stops falling. */
export interface WarmupPlan {
  /** One step: a window at 1 client (and, but for the scenarios, one at 16 half as long). */
  step: Window
  /** Steady once this many steps in a row did not lower the CPU per operation by 3% or more. */
  patience: number
  /** Give up waiting for steadiness after this long of the worker's own steps (the report says so). */
  maxSeconds: number
}

/** What a worker's warm-up did. */
export interface Warmup {
  /** The worker's own steps, in seconds (the others' steps between them not counted). */
  seconds: number
  steps: number
  /** CPU ms per operation (1 client) of the first step and the lowest seen. */
  firstCpuMsPerOp: number
  bestCpuMsPerOp: number
  /** False when maxSeconds ran out while the cost was still falling. */
  steady: boolean
}

const NO_WINDOW: Window = { seconds: 0, minOps: 0 }

/**
 * Warms workers up until what an operation costs stops falling in each, one step of one
 * worker at a time, taking them in turn. A fixed warm-up is not enough: the bare fetch loop
 * took some 15 s (10,000 requests) before its CPU per request fell from 3.9 to 1.05 ms and
 * stayed there, a purchase some 20 s, while V8 optimized the code and grew its heap; measured
 * before that, the later rounds were faster. In turn, not together: three warming at once on
 * this 2-core machine stopped with a CPU per operation up to 60% above their siblings'
 * (contention passing for a cost no longer falling), and not one after the other: a worker
 * that then waited some 40 s was at half its rate in the next round.
 */
export async function warmUpInTurn(workers: ReadonlyMap<string, BenchWorker>, plan: WarmupPlan): Promise<Map<string, Warmup>> {
  const state = new Map([...workers.keys()].map((name) => [name, { seconds: 0, steps: 0, first: 0, best: Infinity, stepsSinceBetter: 0 }]))
  const done = new Map<string, Warmup>()
  while (done.size < workers.size) {
    for (const [name, worker] of workers) {
      if (done.has(name)) continue
      const s = state.get(name)!
      const started = performance.now()
      const { cpuMsPerOp } = measurementOf([await worker.measure(1, plan.step, NO_WINDOW)])
      if (worker.role !== 'scenarios') await worker.measure(16, { seconds: plan.step.seconds / 2, minOps: plan.step.minOps * 16 }, NO_WINDOW)
      s.seconds += (performance.now() - started) / 1000
      if (s.steps++ === 0) s.first = cpuMsPerOp
      if (cpuMsPerOp < s.best * 0.97) {
        s.best = cpuMsPerOp
        s.stepsSinceBetter = 0
      } else {
        s.best = Math.min(s.best, cpuMsPerOp)
        s.stepsSinceBetter++
      }
      const steady = s.stepsSinceBetter >= plan.patience
      if (steady || s.seconds >= plan.maxSeconds) {
        done.set(name, { seconds: round(s.seconds, 1), steps: s.steps, firstCpuMsPerOp: round(s.first, 3), bestCpuMsPerOp: round(s.best, 3), steady })
      }
    }
  }
  return done
}
