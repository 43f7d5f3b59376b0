import type { IncomingMessage } from 'node:http'
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express'
import type { SiteAllowlist } from '../server/siteAllowlist'

/**
 * The two Express middlewares every HTTP server of the project puts in front of its
 * routes: `requestGuard` (who may talk to it: Host and Origin, see siteAllowlist.ts) and
 * `jsonBody` (what a JSON route accepts). Both answer a refusal in the one error shape
 * `{ error: { code, message } }` unless the server renders it its own way (`onRefuse`).
 */

/** A request the guard turns away: the HTTP status, a stable code and a message saying what to do instead. */
export interface GuardRefusal {
  status: 400 | 403 | 413 | 415
  code: 'VALIDATION_FAILED' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE'
  message: string
}

/** Renders a refusal; the default answers `{ error: { code, message } }` with its status. */
export type RefusalHandler = (refusal: GuardRefusal, req: Request, res: Response, next: NextFunction) => void

const sendRefusal: RefusalHandler = (refusal, _req, res) => {
  res.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } })
}

/** Methods that may change something: the ones a foreign page must not send. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The one media type JSON routes take. */
export const JSON_TYPE = 'application/json'

export interface RequestGuardOptions {
  /** Which hosts and origins are allowed. */
  sites: SiteAllowlist
  /** Origins trusted for this request besides the server's own (e.g. a sandbox's game pages). */
  trustedOrigins?: (req: Request) => Iterable<string>
  onRefuse?: RefusalHandler
}

/**
 * Refuses (403) a request whose `Host` is not an allowed host (DNS rebinding), and a
 * state-changing request (POST, PUT, PATCH, DELETE) sent by a page of a foreign `Origin`
 * (cross-site requests). Mount it first, before any route or static file.
 *
 * @example
 * app.use(requestGuard({ sites: createSiteAllowlist({ howToAllowHost: 'pass allowedHosts: ["<name>"]' }) }))
 */
export function requestGuard(options: RequestGuardOptions): RequestHandler {
  const onRefuse = options.onRefuse ?? sendRefusal
  return (req, res, next) => {
    const why = refuseRequest(options.sites, req, STATE_CHANGING.has(req.method), options.trustedOrigins?.(req))
    if (why) return onRefuse({ status: 403, code: 'FORBIDDEN', message: why }, req, res, next)
    next()
  }
}

/**
 * Why the allowlist refuses this request (its Host, and its Origin when `checkOrigin`), or
 * undefined. For WebSocket upgrades, which do not pass through Express.
 */
export function refuseRequest(sites: SiteAllowlist, request: IncomingMessage, checkOrigin: boolean, trusted?: Iterable<string>): string | undefined {
  const { host, origin } = request.headers
  return sites.refuseHost(host) ?? (checkOrigin ? sites.refuseOrigin(origin, host, trusted) : undefined)
}

export interface JsonBodyOptions {
  /** Largest body, as body-parser takes it (`'16kb'`, bytes). Default 100kb. */
  limit?: string | number
  /** Keep the exact bytes (for a signature over the raw body): read them with `rawJsonBody(req)`. */
  keepRaw?: boolean
  onRefuse?: RefusalHandler
}

const rawBodies = new WeakMap<IncomingMessage, Buffer>()

/** The exact body bytes `jsonBody({ keepRaw: true })` parsed, or undefined when there was none. */
export function rawJsonBody(req: IncomingMessage): Buffer | undefined {
  return rawBodies.get(req)
}

/**
 * The body of a JSON route. A state-changing request either has no body at all (then
 * `req.body` is undefined and the route applies its defaults) or says `Content-Type:
 * application/json` and carries one JSON object or array: any other type is a 415, and a
 * body that is empty, does not parse or is too large is a 400 or 413, never a default.
 * Safe methods (GET, HEAD) are left alone. Routes whose body is a file (an image, a
 * workbook) take their own types and are mounted before this.
 *
 * @example
 * router.use(jsonBody({ limit: '16kb' }))
 * router.post('/reset', (req, res) => { const { fixture } = schema.parse(req.body ?? {}) … })
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler {
  const onRefuse = options.onRefuse ?? sendRefusal
  const parse = express.json({
    limit: options.limit,
    type: () => true,
    // Called with the bytes as they arrived (for the signature) and for an empty body too.
    verify: (req, _res, buffer) => void rawBodies.set(req, Buffer.from(buffer)),
  })
  return (req, res, next) => {
    if (!STATE_CHANGING.has(req.method)) return next()
    const refuse = (status: GuardRefusal['status'], code: GuardRefusal['code'], message: string) => onRefuse({ status, code, message }, req, res, next)
    const declared = req.headers['content-type']
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0').trim() !== '0'
    if (declared === undefined) {
      if (!hasBody) return next()
      return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', `this route takes a JSON body: send it with Content-Type: ${JSON_TYPE}`)
    }
    const mediaType = declared.split(';')[0]!.trim().toLowerCase()
    if (mediaType !== JSON_TYPE) {
      return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', `this route takes ${JSON_TYPE}, not ${mediaType.slice(0, 100) || 'an empty Content-Type'}: send the body as JSON with Content-Type: ${JSON_TYPE}`)
    }
    // RFC 8259: JSON between systems is UTF-8. Any other charset is refused rather than
    // decoded (a UTF-16 decoder turns one stray byte into an empty body).
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(declared)?.[1]?.toLowerCase()
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', `this route takes ${JSON_TYPE} in UTF-8, not charset ${charset.slice(0, 40)}: send UTF-8`)
    }
    parse(req, res, (error?: unknown) => {
      if (error) {
        const failure = describeParseFailure(error)
        return refuse(failure.status, failure.code, failure.message)
      }
      const raw = rawBodies.get(req)
      if (!raw?.length) return refuse(400, 'VALIDATION_FAILED', `the body is empty but says it is JSON: send a JSON object ({} for the defaults), or no body and no Content-Type`)
      if (!options.keepRaw) rawBodies.delete(req)
      next()
    })
  }
}

/** body-parser's failures as refusals: too large is 413, an unsupported charset or encoding 415, the rest 400. */
function describeParseFailure(error: unknown): Pick<GuardRefusal, 'status' | 'code' | 'message'> {
  const { type, message } = error as { type?: string; message?: string }
  if (type === 'entity.too.large') return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `the body is larger than this route takes (${message ?? 'too large'})` }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `${message ?? 'unsupported encoding'}: send UTF-8 JSON without a content encoding` }
  }
  if (type === 'entity.parse.failed') return { status: 400, code: 'VALIDATION_FAILED', message: `the request body is not valid JSON (${message ?? 'parse error'}): send one JSON object` }
  return { status: 400, code: 'VALIDATION_FAILED', message: `the request body could not be read: ${message ?? 'unknown error'}` }
}
