import type { RequestHandler } from 'express'
import { jsonBody as guardedJsonBody, type RefusalHandler } from '@superapp-sim/game-sdk/express'
import { SimulatorError } from '../errors'

/** Hands the shared guard's refusals to the simulator's error handler, as SimulatorErrors of the same code. */
export const refuseWithSimulatorError: RefusalHandler = (refusal, _req, _res, next) => next(new SimulatorError(refusal.code, refusal.message))

/**
 * The body of the simulator's JSON routes (game-sdk/server's `jsonBody`): `application/json`
 * only (415 otherwise), a body that does not parse or is empty is a 400, over `limit` a 413;
 * no body at all leaves `req.body` undefined for the route's defaults.
 */
export function jsonBody(limit: string, options: { keepRaw?: boolean } = {}): RequestHandler {
  return guardedJsonBody({ limit, keepRaw: options.keepRaw, onRefuse: refuseWithSimulatorError })
}
