import type { IncomingHttpHeaders } from 'node:http'
import type { RequestHandler } from 'express'
import { SimulatorError } from '../errors'
import { DEFAULT_SANDBOX, SANDBOX_NAME, SANDBOX_NAME_RULE } from './names'
import type { SandboxRegistry } from './registry'
import type { SimulatorCore } from './core'

export const SANDBOX_HEADER = 'x-sim-sandbox'
const PREFIX = /^\/sandbox\/([^/?#]*)(.*)$/

/**
 * Which sandbox a request is for, and its URL inside that sandbox. The path prefix
 * `/sandbox/<name>` is what a game server's base URL can carry; the header suits clients
 * that set headers (test runners). Both at once must agree.
 */
export function selectSandbox(url: string, headers: IncomingHttpHeaders): { name: string; url: string } {
  const header = headers[SANDBOX_HEADER]
  const fromHeader = Array.isArray(header) ? header[0] : header
  const match = PREFIX.exec(url)
  let name = fromHeader ?? DEFAULT_SANDBOX
  let rest = url
  if (match) {
    // Not URL-decoded: a valid name never needs escaping, and a malformed escape must be a
    // 400, not a URIError.
    name = match[1]!
    rest = match[2] || '/'
    if (!rest.startsWith('/')) rest = `/${rest}`
    if (fromHeader !== undefined && fromHeader !== name) {
      throw new SimulatorError('VALIDATION_FAILED', `the path names sandbox "${name}" and the ${SANDBOX_HEADER} header "${fromHeader}": use one`)
    }
  }
  if (!SANDBOX_NAME.test(name)) throw new SimulatorError('VALIDATION_FAILED', `sandbox ${SANDBOX_NAME_RULE}: "${name.slice(0, 80)}"`)
  return { name, url: rest }
}

export function unknownSandbox(name: string): SimulatorError {
  return new SimulatorError('NOT_FOUND', `no sandbox "${name}": create it with POST /sandbox/${name}/_sim/reset {"fixture":"demo"}`)
}

declare module 'express-serve-static-core' {
  interface Locals {
    sandbox?: string
    core?: SimulatorCore
  }
}

/** Strips the sandbox prefix from the URL and notes the sandbox's name for what follows. */
export function sandboxSelection(): RequestHandler {
  return (req, res, next) => {
    const { name, url } = selectSandbox(req.url, req.headers)
    req.url = url
    res.locals.sandbox = name
    next()
  }
}

/** Resolves the noted sandbox to its core, after a reset in progress (404 when it does not exist). */
export function requireSandbox(registry: SandboxRegistry): RequestHandler {
  return async (_req, res, next) => {
    const name = res.locals.sandbox ?? DEFAULT_SANDBOX
    const core = await registry.resolve(name)
    if (!core) throw unknownSandbox(name)
    res.locals.core = core
    next()
  }
}
