/**
 * The test-control API's loopback rule, shared by its routes, the sandbox routes and the event
 * stream's upgrade check.
 */
import type { RequestHandler } from 'express'
import { SimulatorError } from '../errors'
import { isLoopbackClient } from '../http/clientAddress'

export const LOOPBACK_ONLY = 'the test-control API answers loopback clients only'

/** The test-control API answers only on loopback: it can change how the host behaves. */
export const loopbackOnly: RequestHandler = (req, _res, next) => {
  if (!isLoopbackClient(req)) throw new SimulatorError('FORBIDDEN', LOOPBACK_ONLY)
  next()
}
