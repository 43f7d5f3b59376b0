/**
 * The sample game's one error class, on both sides of its HTTP API: the server throws it
 * to answer `{ error: { code, message } }` with `status`, and the client rebuilds it from
 * that answer (`status` 0: the server could not be reached at all).
 */
export class GameApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'GameApiError'
  }
}
