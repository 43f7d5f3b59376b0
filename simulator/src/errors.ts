/**
 * The one error class of the simulator. `code` is stable (clients switch on it), `status`
 * is the HTTP status the error handler answers with. Every API error body is
 * `{ error: { code, message } }`.
 */
export type SimulatorErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_CODE'
  | 'INVALID_APP_SECRET'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'PAYLOAD_TOO_LARGE'
  /** Raised when a JSON route gets a body of another type (or none it can read as JSON). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** Raised when a client failed too often (console logins) and must wait: the answer carries Retry-After. */
  | 'TOO_MANY_REQUESTS'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  /** Raised when a command line or a runner option is wrong (the CLI exits 2). */
  | 'USAGE'
  /** Raised when a service this one calls cannot be reached, or what answers is not that service (not its JSON). */
  | 'UNREACHABLE'
  /** Raised when a service this one calls refuses or fails the call (the scenario game server's host calls). */
  | 'UPSTREAM_FAILED'
  /** Raised when a scenario's expectation does not hold. */
  | 'EXPECTATION_FAILED'
  /** Raised when a scenario's sandbox is reset or deleted by someone else while it runs. */
  | 'SANDBOX_RESET'
  /** Raised when a scenario does not finish within its real-time limit. */
  | 'TIMED_OUT'
  /** Raised when a file of the data folder is damaged, not the simulator's, or from a newer version of it. */
  | 'STORED_DATA'

const statusByCode: Record<SimulatorErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_CODE: 400,
  INVALID_APP_SECRET: 401,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  // Retry shortly: e.g. the sandbox is being reset.
  UNAVAILABLE: 503,
  USAGE: 400,
  UNREACHABLE: 502,
  UPSTREAM_FAILED: 502,
  // The sandbox's state is not what the scenario expected (or someone else changed it).
  EXPECTATION_FAILED: 409,
  SANDBOX_RESET: 409,
  TIMED_OUT: 504,
  STORED_DATA: 500,
}

/** True for the codes above: what a client may rethrow as a SimulatorError from an error body. */
export function isSimulatorErrorCode(code: unknown): code is SimulatorErrorCode {
  return typeof code === 'string' && Object.hasOwn(statusByCode, code)
}

export class SimulatorError extends Error {
  readonly code: SimulatorErrorCode
  readonly status: number
  /** Seconds until the client may try again: sent as the Retry-After header (TOO_MANY_REQUESTS, UNAVAILABLE). */
  readonly retryAfterSeconds?: number
  /**
   * The WeChat errcode a server API (jscode2session, /cgi-bin/token, /xpay/*) answers for
   * this refusal, where `code` alone does not tell (ServerErrcode in game-sdk). Routes other
   * than those ignore it.
   */
  readonly errcode?: number

  constructor(code: SimulatorErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number; errcode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = statusByCode[code]
    this.retryAfterSeconds = options?.retryAfterSeconds
    this.name = new.target.name
    if (options?.errcode !== undefined) this.errcode = options.errcode
  }

  toBody(): { error: { code: SimulatorErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } }
  }
}
