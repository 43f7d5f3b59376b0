import type { ErrorRequestHandler, RequestHandler } from 'express'
import { SimulatorError } from '../errors'

/** 404 in the API error shape for any route nobody answered. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(new SimulatorError('NOT_FOUND', `no route for ${req.method} ${req.path}`).toBody())
}

/**
 * Maps every error to `{error:{code,message}}`. Body-parser failures (bad JSON, too large)
 * are the client's fault and answer 4xx; only a real bug is a 500.
 */
export function errorHandler(log: (message: string) => void = console.error): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error)
    if (error instanceof SimulatorError) {
      if (error.retryAfterSeconds !== undefined) res.set('retry-after', String(error.retryAfterSeconds))
      res.status(error.status).json(error.toBody())
      return
    }
    const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED'
      const message = error?.type === 'entity.parse.failed' ? 'the request body is not valid JSON' : String(error?.message ?? 'bad request')
      res.status(status).json({ error: { code, message } })
      return
    }
    log(`[simulator] unexpected error: ${error?.stack ?? error}`)
    res.status(500).json(new SimulatorError('INTERNAL', 'internal error in the simulator; see its log').toBody())
  }
}
