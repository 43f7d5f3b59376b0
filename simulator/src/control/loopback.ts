/**
 * The test-control API's loopback rule, shared by its routes, the sandbox routes and the event
 * stream's upgrade check.
 */
import type { RequestHandler } from 'express'
import { SimulatorError } from '../errors'

/** True for a loopback peer (IPv4, IPv6, IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  return /^(127\.|::1$|::ffff:127\.)/.test(address ?? '')
}

export const LOOPBACK_ONLY = 'the test-control API answers loopback clients only'

/** The test-control API answers only on loopback: it can change how the host behaves. */
export const loopbackOnly: RequestHandler = (req, _res, next) => {
  if (!isLoopback(req.socket.remoteAddress)) throw new SimulatorError('FORBIDDEN', LOOPBACK_ONLY)
  next()
}
