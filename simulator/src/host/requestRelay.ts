/**
 * `POST /host/api/request`: the host's side of a mini game's `wx.request`. On a device the
 * superapp's network stack makes the call, with no CORS and only to the game's request
 * domains; here the simulator does, for the host shell page only.
 *
 * Who may use it: a browser page of the simulator's own origin (the `Origin` header, which
 * a browser always sends on a POST, names this host, and `Sec-Fetch-Site` is same-origin
 * when sent), with `content-type: application/json`, which a page of another origin
 * cannot send without a CORS preflight that this route never answers. Where it may go: the
 * game's request domains (requestDomains.ts), checked again on every redirect.
 */
import type { Response as ExpressResponse, RequestHandler } from 'express'
import type { z } from 'zod'
import { SimulatorError } from '../errors'
import type { Store } from '../store/store'
import { isLoopbackClient } from '../http/clientAddress'
import { NOT_IN_DOMAIN_LIST, checkRequestUrl, type RequestUrlCheck } from './requestDomains'
import { ERRNO_NOT_IN_DOMAIN_LIST, RELAY_MAX_RESPONSE_BYTES, type RelayResult, type relayRequestSchema } from './requestWire'

/** Headers the host sets itself or that describe the hop, not the request. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'referer', 'origin', 'proxy-authorization', 'te', 'trailer'])
const MAX_REDIRECTS = 5

/** Only the host shell page of this simulator: same origin, a browser's own word for it. */
export const requireShellPage: RequestHandler = (req, _res, next) => {
  const origin = req.get('origin')
  const site = req.get('sec-fetch-site')
  const host = req.get('host')
  const sameOrigin = origin !== undefined && host !== undefined && URL.canParse(origin) && new URL(origin).host === host
  if (!sameOrigin || (site !== undefined && site !== 'same-origin')) {
    throw new SimulatorError('FORBIDDEN', 'the request relay serves the host shell page only (a same-origin request from the simulator\'s /host/ page)')
  }
  if (!req.is('application/json')) throw new SimulatorError('VALIDATION_FAILED', 'send the relay request as application/json')
  next()
}

function isTextual(contentType: string): boolean {
  return /^text\/|[/+]json\b|[/+]xml\b|javascript|x-www-form-urlencoded/i.test(contentType)
}

async function readCapped(response: Response): Promise<Buffer | undefined> {
  if (!response.body) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > RELAY_MAX_RESPONSE_BYTES) return undefined
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}

function failureReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error)
}

/**
 * Makes a game's request as the host's network stack would: checks the URL (and each
 * redirect) against the game's request domains, follows redirects, caps the answer. A
 * refusal or failure is an answer (`ok: false`), not an error. `res` is the shell's request,
 * whose closing aborts the upstream call.
 */
export async function relayRequest(store: Store, fetchImpl: typeof fetch, request: z.output<typeof relayRequestSchema>, res: ExpressResponse): Promise<RelayResult> {
  const game = store.state.miniGames.find((g) => g.appId === request.appId)
  if (!game) throw new SimulatorError('NOT_FOUND', `no mini game ${request.appId}`)
  const policy = { domains: game.requestDomains, allowLoopback: game.allowLoopbackRequests }
  // A phone admitted by the LAN demo (--lan) is not this machine: the relay does not hand it this machine's loopback.
  const fromThisMachine = isLoopbackClient(res.req)
  const checkUrl = (url: string): RequestUrlCheck => {
    const check = checkRequestUrl(url, policy, game.name)
    if (!check.allowed || check.reason !== 'loopback' || fromThisMachine) return check
    const hint = `${new URL(url).origin} is loopback of the machine running the simulator, which a device on the network (--lan) is not relayed to: serve the API on that machine's LAN address or an https domain`
    return { allowed: false, errMsg: NOT_IN_DOMAIN_LIST, hint }
  }

  const refuse = (check: { errMsg: string; hint: string }, prefix = ''): RelayResult => ({
    ok: false,
    errMsg: check.errMsg,
    ...(check.errMsg === NOT_IN_DOMAIN_LIST ? { errno: ERRNO_NOT_IN_DOMAIN_LIST } : {}),
    hint: `${prefix}${check.hint}`,
  })

  const first = checkUrl(request.url)
  if (!first.allowed) return refuse(first)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.header)) if (!HOP_HEADERS.has(name.toLowerCase())) headers[name] = value
  // The platform's fixed referer: https://appservice.wx.com/{appid}/{version}/page-frame.html, "devtools" for a development tool.
  headers.referer = `https://appservice.wx.com/${game.appId}/devtools/page-frame.html`
  let body: Uint8Array<ArrayBuffer> | undefined = request.body === undefined ? undefined : new Uint8Array(Buffer.from(request.body, request.bodyEncoding === 'base64' ? 'base64' : 'utf8'))
  let method: string = request.method
  let url = request.url
  const signal = AbortSignal.any([AbortSignal.timeout(request.timeoutMs), abortWhenClosed(res)])

  try {
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, redirect: 'manual', signal })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        if (hop >= MAX_REDIRECTS) return { ok: false, errMsg: 'request:fail too many redirects' }
        const next = new URL(location, url).href
        const check = checkUrl(next)
        if (!check.allowed) return refuse(check, `redirected from ${new URL(url).origin}: `)
        // 303, and 301/302 after a POST, continue as a GET without the body, as clients do.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
        }
        url = next
        void response.body?.cancel()
        continue
      }
      const data = await readCapped(response)
      if (!data) return { ok: false, errMsg: `request:fail the response is over the host's ${RELAY_MAX_RESPONSE_BYTES / 1024 / 1024} MB` }
      const textual = isTextual(response.headers.get('content-type') ?? '')
      return {
        ok: true,
        statusCode: response.status,
        header: Object.fromEntries(response.headers),
        body: data.toString(textual ? 'utf8' : 'base64'),
        bodyEncoding: textual ? 'utf8' : 'base64',
        ...(first.note ? { note: first.note } : {}),
      }
    }
  } catch (error) {
    // When the shell closed the request, this answer is sent nowhere (mountRoutes sends nothing on a closed response).
    const timedOut = (error as Error).name === 'TimeoutError'
    return { ok: false, errMsg: timedOut ? 'request:fail timeout' : `request:fail ${failureReason(error)}` }
  }
}

/** Aborts the upstream call when the shell gives up before the answer (wx RequestTask.abort, page closed). */
function abortWhenClosed(res: { on(event: 'close', listener: () => void): void; writableFinished: boolean }): AbortSignal {
  const controller = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the host shell closed the request'))
  })
  return controller.signal
}
