/**
 * The one error class of game-sdk. Every failure the SDK raises carries a stable string
 * `code`, so callers can `switch (err.code)` instead of matching messages.
 *
 * Expected business outcomes (the player cancelled, the host refused a payment with an
 * errCode) are *not* errors: they come back as result values. Only misuse (bad arguments,
 * no host) and broken transport throw.
 */
export type GameSdkErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NO_HOST'
  | 'HOST_TIMEOUT'
  | 'TRANSPORT_CLOSED'
  /** A headless player could not open its WebSocket to the host (refused, unreachable, timed out). */
  | 'CONNECT_FAILED'
  | 'SIGNATURE_INVALID'
  | 'NOTIFICATION_MALFORMED'
  | 'HOST_API_ERROR'

export class GameSdkError extends Error {
  readonly code: GameSdkErrorCode
  /** For HOST_API_ERROR from a host server API: its errcode (ServerErrcode), when it answered one. */
  readonly errcode?: number

  constructor(code: GameSdkErrorCode, message: string, options?: { cause?: unknown; errcode?: number }) {
    super(sdkMessage(message), options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.name = new.target.name
    if (options?.errcode !== undefined) this.errcode = options.errcode
  }
}

/** Prefixes every SDK message with the package name, so logs say where they came from. */
export function sdkMessage(message: string): string {
  return `[game-sdk] ${message}`
}

/**
 * The message of anything thrown: an Error's message (its stack with `{ stack: true }`, for
 * logs), else its string form. The one helper for error messages in every package.
 *
 * @example
 * try { await host.code2Session(code) } catch (error) { log(`login failed: ${errorMessage(error)}`) }
 */
export function errorMessage(error: unknown, options: { stack?: boolean } = {}): string {
  if (!(error instanceof Error)) return String(error)
  return options.stack ? (error.stack ?? error.message) : error.message
}
