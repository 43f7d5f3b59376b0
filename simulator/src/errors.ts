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
  | 'UNAVAILABLE'
  | 'INTERNAL'

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
  INTERNAL: 500,
  // Retry shortly: e.g. the sandbox is being reset.
  UNAVAILABLE: 503,
}

export class SimulatorError extends Error {
  readonly code: SimulatorErrorCode
  readonly status: number

  constructor(code: SimulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.status = statusByCode[code]
    this.name = new.target.name
  }

  toBody(): { error: { code: SimulatorErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } }
  }
}
