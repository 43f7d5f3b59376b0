import type { ErrorRequestHandler, RequestHandler, Response } from 'express'
import { z } from 'zod'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { SimulatorError, type SimulatorErrorCode } from '../errors'

/**
 * The host's server APIs (jscode2session, /cgi-bin/token, /xpay/*) refuse as WeChat's do:
 * HTTP 200 with `{ errcode, errmsg }` (docs/protocol.md, "Server API errcodes"). A game
 * server written for WeChat branches on errcode; so does game-sdk's host client.
 */
export interface WechatRefusal {
  errcode: number
  errmsg: string
}

/** What each API family answers for a refusal whose error names no errcode of its own. */
export type ErrcodeByCode = Partial<Record<SimulatorErrorCode, number>>

/** Sends a SimulatorError as a WeChat refusal; anything else is rethrown (a bug: the app's 500). */
export function sendWechatRefusal(res: Response, error: unknown, byCode: ErrcodeByCode): void {
  if (!(error instanceof SimulatorError)) throw error
  const refusal: WechatRefusal = { errcode: error.errcode ?? byCode[error.code] ?? ServerErrcode.SYSTEM_ERROR, errmsg: error.message }
  res.status(200).json(refusal)
}

/** The errcode and WeChat's errmsg words for a query parameter that is missing, and for one that is there but wrong. */
export interface QueryParamErrcodes {
  missing: readonly [errcode: number, errmsg: string]
  invalid: readonly [errcode: number, errmsg: string]
}

/**
 * Parses a server API's query with its schema (the one definition the docs render too); a
 * failure names the first bad parameter with WeChat's code for it, missing or wrong
 * (e.g. `appid missing` 41002, `invalid grant_type` 40002).
 */
export function parseWechatQuery<S extends z.ZodObject>(schema: S, query: unknown, errcodes: Record<keyof z.infer<S> & string, QueryParamErrcodes>): z.infer<S> {
  const result = schema.safeParse(query)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const name = String(issue.path[0]) as keyof z.infer<S> & string
  const value = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)[name] : undefined
  const codes = errcodes[name] as QueryParamErrcodes | undefined
  if (!codes) throw new SimulatorError('VALIDATION_FAILED', `invalid query: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`)
  if (value === undefined || value === '') throw new SimulatorError('VALIDATION_FAILED', `${codes.missing[1]}: the query has no ${name}`, { errcode: codes.missing[0] })
  throw new SimulatorError('VALIDATION_FAILED', `${codes.invalid[1]}: ${issue.message} (${name})`, { errcode: codes.invalid[0] })
}

/**
 * A guard that parses a server API's query with WeChat's codes for each parameter
 * (parseWechatQuery) before the route's own parse, which then finds nothing to refuse.
 */
export function wechatQuery<S extends z.ZodObject>(schema: S, errcodes: Record<keyof z.infer<S> & string, QueryParamErrcodes>): RequestHandler {
  return (req, _res, next) => {
    parseWechatQuery(schema, req.query, errcodes)
    next()
  }
}

/**
 * The error handler a WeChat-shaped domain mounts after its routes: every refusal of its
 * guards, its routes' input parsing and its handlers answers HTTP 200 `{ errcode, errmsg }`
 * rather than the simulator's `{ error }` shape; anything else goes on to the app's handler.
 */
export function wechatRefusals(byCode: ErrcodeByCode): ErrorRequestHandler {
  return (error, _req, res, _next) => sendWechatRefusal(res, error, byCode)
}
