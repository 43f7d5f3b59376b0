/**
 * The simulator's HTTP client for what it POSTs on its own: delivery and refund
 * notifications, and the endpoint checker's probes. One POST over node:http(s), on
 * keep-alive connections, the reply read up to a limit.
 *
 * Why not global fetch, which this was: in Node 20, a fetch exchange (undici) leaves its
 * objects alive until a full garbage collection. POSTing a small JSON body to an Express
 * receiver in one process, fetch promoted 24-27 KB per exchange to the old generation, the
 * same with a young generation four times as large (so they are not merely short-lived),
 * against 9.6 KB for node:http; and it cost 0.65 ms of CPU per exchange against 0.24.
 * A purchase with its notification sent this way costs 17% less CPU at one player
 * (docs/decisions/011-bench-method.md, item 15). A notification needs nothing fetch adds:
 * no redirect is followed, no cookie, no cache.
 */
import http from 'node:http'
import https from 'node:https'

export interface TextReply {
  status: number
  /** The Location header of a redirect, which is reported, not followed. */
  location?: string
  /** The reply's text, cut to its first `keepBytes` bytes when it was larger than the read limit. */
  text: string
  truncated: boolean
}

export interface PostOptions {
  headers: Record<string, string>
  /** The whole exchange (connect, send, the whole reply) within this, or it fails as timed out. */
  timeoutMs: number
  /** Read at most this many bytes of a reply; a larger one is cut off (its connection closed). */
  readLimit: number
  /** Bytes kept of a reply larger than readLimit. */
  keepBytes: number
}

/**
 * The exchange failed: `timedOut`, or the network error's code (ECONNREFUSED) or message;
 * `replied` when the receiver had begun its reply (then cut it off).
 */
export class PostError extends Error {
  constructor(
    readonly reason: string,
    readonly timedOut: boolean,
    readonly replied = false,
  ) {
    super(reason)
    this.name = 'PostError'
  }
}

/**
 * One pool per protocol for the process, as fetch had one. A free connection is reused, and
 * closed after 4 s idle, or 1 s before a shorter Keep-Alive hint of the receiver's (Node's
 * Agent applies a hint only under its own timeout): before Node's servers close theirs (5 s),
 * so a notification is not sent on a connection the receiver is closing. Free connections do
 * not keep the process alive.
 */
const IDLE_CONNECTION_MS = 4000
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
}

/**
 * A connection taken from the pool can fail before any byte of its reply because the
 * receiver closed it while idle, as the request went out (every keep-alive client has this
 * race). The request is then sent once more on another connection, within the same time:
 * what the pool does must not show as a failed delivery attempt. Node's documentation of
 * `request.reusedSocket` recommends exactly this retry.
 */
const STALE_CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE'])

/** Node's codes for a receiver's TLS certificate that it does not trust. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
])

/** A network error's code, with what to do when it is the receiver's certificate. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? error.message
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return `${code}: the receiver's TLS certificate is not signed by a certificate authority Node trusts (for a local one, such as mkcert's, start the simulator with NODE_EXTRA_CA_CERTS=<its root certificate file>)`
  }
  if (code === 'CERT_HAS_EXPIRED') return `${code}: the receiver's TLS certificate has expired`
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${code}: the receiver's TLS certificate is not for this host name`
  return code
}

/** POSTs `body` to `url` and resolves with the reply, or rejects with a PostError. */
export function postText(url: string, body: string, options: PostOptions): Promise<TextReply> {
  return new Promise((resolve, reject) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      return reject(new PostError('not a URL', false))
    }
    const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : undefined
    if (!protocol) return reject(new PostError(`${target.protocol} is not http: or https:`, false))
    const payload = Buffer.from(body, 'utf8')
    const headers = { ...options.headers, 'content-length': String(payload.length) }
    let settled = false
    let replied = false
    let request: http.ClientRequest
    const fail = (reason: string, timedOut = false) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.destroy()
      reject(new PostError(reason, timedOut, replied))
    }
    const send = () => {
      const sent = (protocol === 'https:' ? https : http).request(target, { method: 'POST', agent: agents[protocol], headers }, (response) => {
        replied = true
        const chunks: Buffer[] = []
        let size = 0
        const location = response.headers.location
        response.on('data', (chunk: Buffer) => {
          if (settled) return
          chunks.push(chunk)
          size += chunk.length
          if (size > options.readLimit) {
            settled = true
            clearTimeout(timer)
            // The rest is not read: the connection cannot carry another request.
            response.destroy()
            sent.destroy()
            resolve({ status: response.statusCode ?? 0, location, text: Buffer.concat(chunks).toString('utf8', 0, options.keepBytes), truncated: true })
          }
        })
        response.on('end', () => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          resolve({ status: response.statusCode ?? 0, location, text: Buffer.concat(chunks).toString('utf8'), truncated: false })
        })
        response.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message))
        response.on('close', () => {
          if (!response.complete) fail('aborted')
        })
      })
      sent.on('error', (error: NodeJS.ErrnoException) => {
        if (settled || sent !== request) return
        // A pooled connection gives out only once per request: the agent drops it, so the
        // next request takes another pooled one or a new one, and a new one is not retried.
        if (!replied && sent.reusedSocket && STALE_CONNECTION_ERRORS.has(error.code ?? '')) return send()
        fail(describeNetworkError(error))
      })
      request = sent
      sent.end(payload)
    }
    const timer = setTimeout(() => fail(`no answer within ${options.timeoutMs} ms`, true), options.timeoutMs)
    send()
  })
}
