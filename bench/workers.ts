/**
 * The parent's side of bench/worker.ts: starts a configuration in a process of its own and
 * asks it for measurements, one at a time.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import type { Slice } from './measurement'
import type { BareClient, StoreOnDisk, Warmup, WarmupPlan, Window, WorkerMessage, WorkerRequest, WorkerRole } from './worker'

const workerFile = path.join(import.meta.dirname, 'worker.ts')

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export interface BenchWorker {
  readonly pid: number
  /** One slice: a warm-up of `warmup`, then `window` measured. */
  measure(concurrency: number, window: Window, warmup: Window, client?: BareClient): Promise<Slice>
  /** Runs the configuration until the CPU an operation costs stops falling (see WarmupPlan). */
  warmUp(plan: WarmupPlan): Promise<Warmup>
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
    measure: (concurrency, window, warmup, client) => request<Slice>({ type: 'measure', concurrency, window, warmup, client }),
    warmUp: (plan) => request<Warmup>({ type: 'warmup', plan }),
    async close() {
      await request<undefined>({ type: 'close' })
      await exited
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
