import type { IncomingMessage } from 'node:http'
import WebSocket, { type RawData } from 'ws'
import {
  hostCall,
  hostSocketMessageSchema,
  sheetAnswer,
  type HostApi,
  type HostResultPayload,
  type HostSocketMessage,
  type HostTransport,
  type SheetAnswer,
  type SheetOpenPayload,
} from '../protocol/channel'
import { ErrCode } from '../protocol/errcodes'
import { GameSdkError, sdkMessage } from '../core/errors'
import { errorMessage } from '../core/errors'

/** How a connection ended: the WebSocket close code and reason. */
export interface CloseInfo {
  code: number
  reason: string
}

export interface WebSocketTransportOptions {
  /** The host socket, e.g. `hostSocketUrl(simulatorUrl, { appId, playerId })`. */
  url: string
  /** How long opening the socket may take. Default 5000 ms. */
  connectTimeoutMs?: number
  /** How long login may take, as on the postMessage transport; payments wait for the sheet and have no limit. Default 10000 ms. */
  loginTimeoutMs?: number
  /**
   * Called for every SHEET_OPEN, before anything else can arrive: passed here rather than
   * subscribed after connecting so that no sheet can slip through in between.
   */
  onSheetOpen?: (open: SheetOpenPayload) => void
  /** Messages the transport ignored (unparsable, unknown call) and PROTOCOL_ERRORs from the host. Default console.warn. */
  onProtocolError?: (message: string) => void
}

/** The host transport of a headless player, with the sheet answer the postMessage wire does not need. */
export interface WebSocketHostTransport extends HostTransport {
  /** Sends SHEET_ANSWER. Whether the sheet is waiting for the player is the caller's concern. */
  answerSheet(orderNo: string, answer: SheetAnswer): void
  /** Settles when the socket has closed, for any reason. */
  readonly closed: Promise<CloseInfo>
  /** Closes the socket (code 1000 unless given) and resolves once it is closed. */
  close(code?: number, reason?: string): Promise<CloseInfo>
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000
const DEFAULT_LOGIN_TIMEOUT_MS = 10_000
/** A refusal body is a short JSON error; anything longer is not worth reading. */
const MAX_REFUSAL_BODY_BYTES = 16 * 1024

interface PendingCall {
  api: HostApi
  resolve: (payload: HostResultPayload) => void
  timer?: ReturnType<typeof setTimeout>
}

/**
 * Opens the host socket and resolves with a transport once it is open. A refused upgrade
 * (unknown sandbox, game or player) rejects with GameSdkError `CONNECT_FAILED` carrying the
 * host's own message. Once open, a closed connection never leaves a call hanging: every
 * pending and later call settles as a fail result `<api>:fail connection closed (<code> <reason>)`,
 * errCode -1, which `wx` reports through its normal fail path.
 *
 * @example
 * const transport = await createWebSocketTransport({ url: hostSocketUrl(simulatorUrl, { appId, playerId }) })
 * const wx = createWx(transport)
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): Promise<WebSocketHostTransport> {
  const report = options.onProtocolError ?? ((message: string) => console.warn(sdkMessage(message)))
  const loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS
  const pending = new Map<string, PendingCall>()
  let closeInfo: CloseInfo | undefined
  let resolveClosed!: (info: CloseInfo) => void
  const closed = new Promise<CloseInfo>((resolve) => (resolveClosed = resolve))
  let nextCallId = 0

  const socket = new WebSocket(options.url)

  function settle(callId: string, payload: HostResultPayload): void {
    const call = pending.get(callId)
    if (!call) return
    pending.delete(callId)
    if (call.timer) clearTimeout(call.timer)
    call.resolve(payload)
  }

  function failClosed(callId: string, call: PendingCall, info: CloseInfo): void {
    settle(callId, { callId, ok: false, result: { errMsg: `${call.api}:fail ${describeClose(info)}`, errCode: ErrCode.SYSTEM_FAILURE } })
  }

  function receive(message: HostSocketMessage): void {
    switch (message.type) {
      case 'HOST_RESULT':
        if (!pending.has(message.payload.callId)) report(`the host answered a call this player is not waiting for (callId ${message.payload.callId})`)
        settle(message.payload.callId, message.payload)
        return
      case 'SHEET_OPEN':
        try {
          options.onSheetOpen?.(message.payload)
        } catch (error) {
          report(`the SHEET_OPEN listener threw: ${errorMessage(error)}`)
        }
        return
      case 'PROTOCOL_ERROR':
        report(`the host could not understand a message from this player: ${message.payload.message}`)
        return
    }
  }

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const parsed = parseHostMessage(data, isBinary)
    if (typeof parsed === 'string') report(parsed)
    else receive(parsed)
  })

  socket.on('close', (code: number, reason: Buffer) => {
    closeInfo = { code, reason: reason.toString('utf8') }
    for (const [callId, call] of [...pending]) failClosed(callId, call, closeInfo)
    resolveClosed(closeInfo)
  })

  const transport: WebSocketHostTransport = {
    call(api, params) {
      const callId = `c${(nextCallId++).toString(36)}`
      return new Promise<HostResultPayload>((resolve, reject) => {
        const call: PendingCall = { api, resolve }
        pending.set(callId, call)
        if (closeInfo) return failClosed(callId, call, closeInfo)
        if (api === 'login') {
          // As on the postMessage transport: wx turns the rejection into `login:fail …`, errCode -1.
          call.timer = setTimeout(() => {
            pending.delete(callId)
            reject(new GameSdkError('HOST_TIMEOUT', `the host did not answer ${api} within ${loginTimeoutMs} ms`))
          }, loginTimeoutMs)
        }
        // While CLOSING the send is dropped, and the close event settles the call.
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(hostCall(callId, api, params)))
      })
    },
    answerSheet(orderNo, answer) {
      if (socket.readyState !== WebSocket.OPEN) {
        throw new GameSdkError('TRANSPORT_CLOSED', `cannot answer sheet ${orderNo}: the connection to the host is ${closeInfo ? describeClose(closeInfo) : 'closing'}`)
      }
      socket.send(JSON.stringify(sheetAnswer(orderNo, answer)))
    },
    closed,
    close(code = 1000, reason = '') {
      if (!closeInfo) socket.close(code, reason)
      return closed
    },
  }

  return new Promise<WebSocketHostTransport>((resolve, reject) => {
    let connecting = true
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    const timer = setTimeout(
      () => fail(new GameSdkError('CONNECT_FAILED', `no connection to ${options.url} within ${timeoutMs} ms: is the simulator running, and is the URL right?`)),
      timeoutMs,
    )
    function fail(error: GameSdkError): void {
      if (!connecting) return
      connecting = false
      clearTimeout(timer)
      reject(error)
      // Emits a second 'error' ("closed before the connection was established"), ignored below.
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate()
    }
    socket.once('open', () => {
      connecting = false
      clearTimeout(timer)
      resolve(transport)
    })
    // Kept for the socket's whole life: an 'error' without a listener would crash the process.
    socket.on('error', (error: Error) => {
      if (connecting) fail(new GameSdkError('CONNECT_FAILED', `cannot reach the host at ${options.url}: ${error.message}. Is the simulator running?`, { cause: error }))
      // Once open, the 'close' that follows every error settles what is pending.
    })
    // With a listener here ws leaves the refused handshake to us: read the host's reason first.
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      void readRefusal(response).then((why) =>
        fail(new GameSdkError('CONNECT_FAILED', `the host refused the connection to ${options.url} (HTTP ${response.statusCode}): ${why}`)),
      )
    })
  })
}

/** "connection closed (4001 sandbox reset)", or "(1006)" when the close came with no reason. */
export function describeClose({ code, reason }: CloseInfo): string {
  return `connection closed (${reason ? `${code} ${reason}` : code})`
}

/** The host socket message, or why it was ignored. */
function parseHostMessage(data: RawData, isBinary: boolean): HostSocketMessage | string {
  if (isBinary) return 'ignored a binary message from the host: the wire is JSON text'
  const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return `ignored a message from the host that is not JSON: ${text.slice(0, 200)}`
  }
  const parsed = hostSocketMessageSchema.safeParse(json)
  if (!parsed.success) return `ignored a message from the host that is not on the wire: ${parsed.error.issues[0]?.message ?? 'invalid'} in ${text.slice(0, 200)}`
  return parsed.data
}

/** The message of the host's `{error:{code,message}}` refusal body, else the body itself. */
async function readRefusal(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of response) {
      const buffer = chunk as Buffer
      size += buffer.length
      if (size > MAX_REFUSAL_BODY_BYTES) break
      chunks.push(buffer)
    }
  } catch {
    // A body cut short still leaves the status code to report.
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message
    if (typeof message === 'string') return message
  } catch {
    // Not JSON: the text itself is the best explanation there is.
  }
  return text.slice(0, 500) || response.statusMessage || 'no reason given'
}
