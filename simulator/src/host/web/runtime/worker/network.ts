/**
 * wx.request: the game's HTTP calls, which the host shell relays through the simulator
 * (the host decides where a game may connect: its request domains). Returns a
 * RequestTask; results in WeChat's shape: `{ data, statusCode, header, cookies, errMsg }`,
 * `data` parsed as JSON when it is JSON and dataType is "json" (the default).
 */
import type { RelayRequest, RelayResult } from '../../../requestWire'
import { REQUEST_METHODS } from '../../../requestWire'
import { deliver, failed, ok, type Settled } from './callbacks'
import { natives } from './natives'
import { errorMessage } from '@superapp-sim/game-sdk'

export interface RequestBridge {
  /** Sends the request to the shell; `id` lets abort() name it. */
  send(request: Omit<RelayRequest, 'appId'>): { id: number; reply: Promise<RelayResult> }
  abort(id: number): void
}

function queryString(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value))}`)
    .join('&')
}

function toBase64(buffer: ArrayBuffer): string {
  let text = ''
  const bytes = new Uint8Array(buffer)
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return natives.btoa(text)
}

function fromBase64(text: string): ArrayBuffer {
  const binary = natives.atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}

/** The body and URL wx.request sends for `data`, by the platform's rules for GET and POST. */
export function encodeRequest(url: string, method: string, header: Record<string, string>, data: unknown): { url: string; body?: string; bodyEncoding: 'utf8' | 'base64' } {
  if (data === undefined || data === null) return { url, bodyEncoding: 'utf8' }
  if (data instanceof ArrayBuffer) return { url, body: toBase64(data), bodyEncoding: 'base64' }
  if (method === 'GET' || method === 'HEAD') {
    const query = typeof data === 'object' ? queryString(data as Record<string, unknown>) : String(data)
    return { url: query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url, bodyEncoding: 'utf8' }
  }
  const contentType = Object.entries(header).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? ''
  if (typeof data === 'string') return { url, body: data, bodyEncoding: 'utf8' }
  if (contentType.includes('application/x-www-form-urlencoded')) return { url, body: queryString(data as Record<string, unknown>), bodyEncoding: 'utf8' }
  return { url, body: JSON.stringify(data), bodyEncoding: 'utf8' }
}

/** `data` of the success result: text, parsed JSON, or an ArrayBuffer. */
export function decodeResponse(body: string, bodyEncoding: 'utf8' | 'base64', responseType: string, dataType: string): unknown {
  if (responseType === 'arraybuffer') return bodyEncoding === 'base64' ? fromBase64(body) : new natives.TextEncoder().encode(body).buffer
  const text = bodyEncoding === 'base64' ? new natives.TextDecoder().decode(fromBase64(body)) : body
  if (dataType !== 'json') return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export function createRequest(bridge: RequestBridge, defaultTimeoutMs: () => number, onNote: (note: string) => void) {
  return function request(option: unknown) {
    const o = (option && typeof option === 'object' ? option : {}) as Record<string, unknown>
    let sent: { id: number } | undefined
    let settledAlready = false
    const finish = (settled: Settled) => {
      if (settledAlready) return
      settledAlready = true
      deliver(option, settled)
    }
    const task = {
      abort() {
        if (sent) bridge.abort(sent.id)
        finish(failed('request', 'abort'))
      },
      onHeadersReceived() {},
      offHeadersReceived() {},
      onChunkReceived() {},
      offChunkReceived() {},
    }
    natives.queueMicrotask(() => {
      if (settledAlready) return
      if (typeof o.url !== 'string' || !o.url) return finish(failed('request', 'parameter error: parameter.url should be String'))
      const method = String(o.method ?? 'GET').toUpperCase()
      if (!(REQUEST_METHODS as readonly string[]).includes(method)) return finish(failed('request', `parameter error: method ${method} is not one of ${REQUEST_METHODS.join(', ')}`))
      const header: Record<string, string> = {}
      for (const [name, value] of Object.entries((o.header ?? {}) as Record<string, unknown>)) header[name] = String(value)
      // The platform's default content type.
      if (!Object.keys(header).some((name) => name.toLowerCase() === 'content-type')) header['content-type'] = 'application/json'
      const { url, body, bodyEncoding } = encodeRequest(o.url, method, header, o.data)
      const timeoutMs = Math.min(typeof o.timeout === 'number' && o.timeout > 0 ? Math.floor(o.timeout) : defaultTimeoutMs(), 60_000)
      const { id, reply } = bridge.send({ url, method: method as RelayRequest['method'], header, body, bodyEncoding, timeoutMs })
      sent = { id }
      reply.then(
        (result) => {
          if (!result.ok) return finish({ ok: false, result: { errMsg: result.errMsg, ...(result.errno === undefined ? {} : { errno: result.errno }) } })
          if (result.note) onNote(result.note)
          const data = decodeResponse(result.body, result.bodyEncoding, String(o.responseType ?? 'text'), String(o.dataType ?? 'json'))
          finish(ok('request', { data, statusCode: result.statusCode, header: result.header, cookies: [] }))
        },
        (error: unknown) => finish(failed('request', errorMessage(error))),
      )
    })
    return task
  }
}
