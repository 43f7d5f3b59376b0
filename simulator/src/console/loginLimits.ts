import type { Clock } from '../clock'
import { SimulatorError } from '../errors'

/**
 * How many wrong console logins are tolerated before a 429, within a sliding window.
 * Per account: enough for a person who mistypes, far too few to guess a password (OWASP's
 * advice is a handful to a few tens before a lockout). Per client address: several people
 * behind one address (on a laptop every client is 127.0.0.1: the tests, the sample game
 * server, a browser) may each mistype a few times, one script trying many accounts may not.
 * A successful login clears its account's count, not its address's.
 */
export const LOGIN_LIMITS = {
  perAccount: 10,
  perClient: 50,
  windowMs: 15 * 60 * 1000,
} as const

export type LoginLimits = { readonly [K in keyof typeof LOGIN_LIMITS]: number }

/** Keys tracked at most before expired entries are swept: unknown usernames must not grow memory without bound. */
const SWEEP_ABOVE = 1000

interface Counter {
  /** Times (clock ms) of failed attempts still inside the window, oldest first. */
  failures: number[]
  /** Attempts started and not finished yet: counted, so a burst cannot outrun the limit. */
  running: number
}

/** One login attempt let through: report how it ended, exactly once. */
export interface LoginAttempt {
  succeeded(): void
  failed(): void
}

/**
 * Counts failed console logins per account and per client address on the sandbox's clock
 * (so QA can move past a lockout with `POST /_sim/clock`, and tests never wait). In memory:
 * a restart forgives, as the real console's counters are not what this simulates.
 */
export class LoginLimiter {
  private readonly accounts = new Map<string, Counter>()
  private readonly clients = new Map<string, Counter>()

  constructor(
    private readonly clock: Clock,
    private readonly limits: LoginLimits = LOGIN_LIMITS,
  ) {}

  /**
   * Lets an attempt for `username` from `client` start, or throws TOO_MANY_REQUESTS with
   * the seconds until the oldest counted failure leaves the window.
   */
  begin(username: string, client: string): LoginAttempt {
    const now = this.clock.now()
    const account = this.counter(this.accounts, username, now)
    const peer = this.counter(this.clients, client, now)
    const waits = [this.wait(account, this.limits.perAccount, now, 'this account'), this.wait(peer, this.limits.perClient, now, 'this client')].filter((wait): wait is { seconds: number; why: string } => wait !== undefined)
    if (waits.length) {
      const longest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a))
      throw new SimulatorError(
        'TOO_MANY_REQUESTS',
        `too many failed logins: ${longest.why}. Try again in ${longest.seconds} s (in a sandbox under test, moving its clock with POST /_sim/clock counts too)`,
        { retryAfterSeconds: longest.seconds },
      )
    }
    account.running += 1
    peer.running += 1
    let settled = false
    const settle = (failed: boolean) => {
      if (settled) return
      settled = true
      account.running -= 1
      peer.running -= 1
      const at = this.clock.now()
      if (failed) {
        account.failures.push(at)
        peer.failures.push(at)
      } else {
        account.failures.length = 0
      }
    }
    return { succeeded: () => settle(false), failed: () => settle(true) }
  }

  /** The counter of `key`, its expired failures dropped; sweeps the map when it grows. */
  private counter(map: Map<string, Counter>, key: string, now: number): Counter {
    if (map.size > SWEEP_ABOVE) {
      for (const [other, counter] of map) {
        this.expire(counter, now)
        if (!counter.failures.length && !counter.running) map.delete(other)
      }
    }
    let counter = map.get(key)
    if (!counter) map.set(key, (counter = { failures: [], running: 0 }))
    this.expire(counter, now)
    return counter
  }

  private expire(counter: Counter, now: number): void {
    const from = now - this.limits.windowMs
    while (counter.failures.length && counter.failures[0]! <= from) counter.failures.shift()
  }

  /** How long `counter` must wait, when its failures and running attempts reach `limit`. */
  private wait(counter: Counter, limit: number, now: number, who: string): { seconds: number; why: string } | undefined {
    if (counter.failures.length + counter.running < limit) return undefined
    // Attempts still running fill it: they may yet fail, so ask for a moment.
    if (counter.failures.length < limit) return { seconds: 1, why: `${who} has ${counter.running} logins under way and ${counter.failures.length} failed` }
    // Free again when enough of the oldest failures have left the window to bring the count under the limit.
    const frees = counter.failures[counter.failures.length - limit]! + this.limits.windowMs
    return { seconds: Math.max(1, Math.ceil((frees - now) / 1000)), why: `${who} had ${limit} failed logins in ${Math.round(this.limits.windowMs / 60000)} minutes` }
  }
}
