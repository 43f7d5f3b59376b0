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
import { errorMessage } from '@superapp-sim/game-sdk'

export interface TextReply {
  status: number
  /** The Location header of a redirect, which is reported, not followed. */
  location?: string
  /** The reply's text, cut to its first `keepBytes` bytes when it was larger than the read limit. */
  text: string
  truncated: boolean
  /** Set when a pooled connection failed first with this error code and the request went out again. */
  resentAfter?: string
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
    /** As in TextReply: the request went out again after a pooled connection failed with this code. */
    readonly resentAfter?: string,
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
 * A connection taken from the pool can fail before anything of its reply arrives because the
 * receiver closed it while idle, as the request went out (every keep-alive client has this
 * race; Node's documentation of `request.reusedSocket` advises sending again). Then the
 * request is sent once more, on another connection, within the same time, and the reply (or
 * error) says so in `resentAfter`. The receiver cannot be told from one that read the request
 * and then dropped the connection without a byte of reply: it may see the request twice.
 */
const STALE_CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE'])

/** Node's codes for a receiver's TLS certificate that no authority it trusts signed. */
const UNTRUSTED_CERTIFICATE = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'])
/** Node's codes for a certificate whose chain it cannot follow to an authority it trusts. */
const INCOMPLETE_CHAIN = new Set(['UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'])
const TRUST_A_LOCAL_AUTHORITY = 'for a local one, such as mkcert\'s, start the simulator with NODE_EXTRA_CA_CERTS=<its root certificate file>'

/** A network error's code, with what to do when it is the receiver's certificate. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? error.message
  if (UNTRUSTED_CERTIFICATE.has(code)) return `${code}: the receiver's TLS certificate is not signed by a certificate authority Node trusts (${TRUST_A_LOCAL_AUTHORITY})`
  if (INCOMPLETE_CHAIN.has(code)) {
    return `${code}: Node cannot follow the receiver's TLS certificate to an authority it trusts: the receiver may not send its intermediate certificates, or its authority is not trusted (${TRUST_A_LOCAL_AUTHORITY})`
  }
  if (code === 'CERT_HAS_EXPIRED') return `${code}: the receiver's TLS certificate has expired`
  if (code === 'CERT_NOT_YET_VALID') return `${code}: the receiver's TLS certificate is not valid yet (check this machine's clock)`
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
    let resentAfter: string | undefined
    let request: http.ClientRequest | undefined
    const fail = (reason: string, timedOut = false) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request?.destroy()
      reject(new PostError(reason, timedOut, replied, resentAfter))
    }
    const done = (reply: Omit<TextReply, 'resentAfter'>) => {
      settled = true
      clearTimeout(timer)
      resolve(resentAfter === undefined ? reply : { ...reply, resentAfter })
    }
    const send = () => {
      let sent: http.ClientRequest
      try {
        sent = (protocol === 'https:' ? https : http).request(target, { method: 'POST', agent: agents[protocol], headers }, (response) => {
          replied = true
          const chunks: Buffer[] = []
          let size = 0
          const location = response.headers.location
          response.on('data', (chunk: Buffer) => {
            if (settled) return
            chunks.push(chunk)
            size += chunk.length
            if (size > options.readLimit) {
              // The rest is not read: the connection cannot carry another request.
              response.destroy()
              sent.destroy()
              done({ status: response.statusCode ?? 0, location, text: Buffer.concat(chunks).toString('utf8', 0, options.keepBytes), truncated: true })
            }
          })
          response.on('end', () => {
            if (settled) return
            done({ status: response.statusCode ?? 0, location, text: Buffer.concat(chunks).toString('utf8'), truncated: false })
          })
          response.on('error', (error: NodeJS.ErrnoException) => fail(describeNetworkError(error)))
          response.on('close', () => {
            if (!response.complete) fail('aborted')
          })
        })
      } catch (error) {
        // A header Node refuses (a character outside Latin-1, say): nothing was sent.
        return fail(errorMessage(error))
      }
      // What the connection had received before this request: a reply begun on it is not a stale connection.
      let bytesReadBefore = -1
      sent.on('socket', (socket) => void (bytesReadBefore = socket.bytesRead))
      sent.on('error', (error: NodeJS.ErrnoException) => {
        if (settled || sent !== request) return
        const code = error.code ?? ''
        const nothingRead = sent.socket !== null && sent.socket.bytesRead === bytesReadBefore
        if (resentAfter === undefined && !replied && sent.reusedSocket && nothingRead && STALE_CONNECTION_ERRORS.has(code)) {
          resentAfter = code
          return send()
        }
        fail(describeNetworkError(error))
      })
      request = sent
      sent.end(payload)
    }
    const timer = setTimeout(() => fail(`no answer within ${options.timeoutMs} ms`, true), options.timeoutMs)
    send()
  })
}
