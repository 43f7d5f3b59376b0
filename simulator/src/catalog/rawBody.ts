import express, { type Request, type RequestHandler } from 'express'
import { SimulatorError } from '../errors'

/**
 * Reads a binary request body (an .xlsx, an image) up to a limit. Over the limit is a 400
 * that names it, as the issue asks, rather than body-parser's bare 413; reading stops there.
 */
export function rawBody(options: { types: string[]; limitBytes: number; limitText: string; what: string }): RequestHandler {
  const parse = express.raw({ type: options.types, limit: options.limitBytes })
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      const tooLarge = typeof error === 'object' && error !== null && 'type' in error && error.type === 'entity.too.large'
      if (tooLarge) return next(new SimulatorError('VALIDATION_FAILED', `the ${options.what} is larger than the ${options.limitText} limit`))
      next(error)
    })
  }
}

/** The body read by `rawBody`, or a 400 saying how to send it. */
export function bodyBytes(req: Request, expected: string): Buffer {
  if (Buffer.isBuffer(req.body)) return req.body
  const type = req.get('content-type')?.split(';')[0]?.trim() || 'no content-type'
  throw new SimulatorError('VALIDATION_FAILED', `send ${expected} as the raw request body; got ${type}`)
}
