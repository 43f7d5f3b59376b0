import { errorMessage } from '@superapp-sim/game-sdk'
/**
 * The platform's calling convention for asynchronous APIs: with any of success / fail /
 * complete the call reports through them and returns nothing (or its task object);
 * without, it returns a promise that resolves with the success result and rejects with
 * the fail result. Every result carries `errMsg`: "<api>:ok" or "<api>:fail <reason>".
 * The same convention as game-sdk's createWx (game-sdk/src/core/wx.ts) for login and
 * payments, which the runtime uses as is.
 */

export interface CallbackOption {
  success?: (result: never) => void
  fail?: (result: never) => void
  complete?: (result: never) => void
}

export interface Settled {
  ok: boolean
  result: { errMsg: string } & Record<string, unknown>
}

/** The success result of `api`. */
export function ok(api: string, fields: object = {}): Settled {
  return { ok: true, result: { ...fields, errMsg: `${api}:ok` } }
}

/** The fail result of `api`, WeChat's shape. */
export function failed(api: string, reason: string, fields: Record<string, unknown> = {}): Settled {
  return { ok: false, result: { ...fields, errMsg: `${api}:fail ${reason}` } }
}

/** Whether the caller passed any callback (then no promise is returned). */
export function usesCallbacks(option: unknown): boolean {
  if (!option || typeof option !== 'object') return false
  const { success, fail, complete } = option as CallbackOption
  return typeof success === 'function' || typeof fail === 'function' || typeof complete === 'function'
}

/** Delivers a settled call to the caller's callbacks (always after the call returned). */
export function deliver(option: unknown, settled: Settled): void {
  const callbacks = (option && typeof option === 'object' ? option : {}) as { success?: unknown; fail?: unknown; complete?: unknown }
  const call = (fn: unknown) => {
    if (typeof fn === 'function') fn(settled.result)
  }
  call(settled.ok ? callbacks.success : callbacks.fail)
  call(callbacks.complete)
}

/**
 * Runs an asynchronous API: `work` gives the settled result (a thrown error is a fail
 * with its message). Returns a promise when the caller passed no callback.
 */
export function runAsync(api: string, option: unknown, work: () => Settled | Promise<Settled>): Promise<Settled['result']> | undefined {
  const settled = Promise.resolve()
    .then(work)
    .catch((error: unknown) => failed(api, errorMessage(error)))
  if (usesCallbacks(option)) {
    void settled.then((result) => deliver(option, result))
    return undefined
  }
  return settled.then((result) => (result.ok ? result.result : Promise.reject(result.result)))
}

/** A set of listeners for one `wx.onX` / `wx.offX` pair. */
export class Listeners<T> {
  private readonly list: Array<(value: T) => void> = []

  on = (listener: unknown): void => {
    if (typeof listener === 'function' && !this.list.includes(listener as (value: T) => void)) this.list.push(listener as (value: T) => void)
  }

  /** Without a listener: removes them all, as the platform does. */
  off = (listener?: unknown): void => {
    if (listener === undefined) this.list.length = 0
    else {
      const index = this.list.indexOf(listener as (value: T) => void)
      if (index >= 0) this.list.splice(index, 1)
    }
  }

  emit(value: T): void {
    for (const listener of [...this.list]) listener(value)
  }

  get size(): number {
    return this.list.length
  }
}
