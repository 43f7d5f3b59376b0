import type { IncomingMessage } from 'node:http'
import type { WebSocket } from 'ws'
import { SimulatorError } from '../errors'
import type { SimEventWithTime } from '../events/eventBus'
import type { SimulatorCore } from '../sandbox/core'
import { isLoopbackClient } from '../http/clientAddress'
import { LOOPBACK_ONLY } from './loopback'

export const EVENT_STREAM_PATH = '/_sim/events/stream'
const BACKLOG_PAGE = 1000

export function checkEventStream(_core: SimulatorCore, url: URL, request: IncomingMessage): void {
  if (!isLoopbackClient(request)) throw new SimulatorError('FORBIDDEN', LOOPBACK_ONLY)
  const after = url.searchParams.get('after')
  if (after !== null && !/^\d{1,15}$/.test(after)) throw new SimulatorError('VALIDATION_FAILED', 'after must be an event seq (a non-negative integer)')
}

/**
 * `/_sim/events/stream?after=<seq>`: the events after the cursor, then every new one as it
 * happens, each once and in order, so a QA tool that reconnects with its last seq misses
 * nothing the history still holds.
 */
export function serveEventStream(core: SimulatorCore, ws: WebSocket, url: URL): void {
  let last = Number(url.searchParams.get('after') ?? core.events.cursor)
  const send = (event: SimEventWithTime) => {
    if (event.seq <= last) return
    last = event.seq
    ws.send(JSON.stringify(event))
  }
  // Subscribed before the backlog is read: an event emitted in between is not lost (and
  // the seq check drops the copy).
  const unsubscribe = core.events.subscribe(send)
  for (;;) {
    const page = core.events.since(last, BACKLOG_PAGE)
    page.forEach(send)
    if (page.length < BACKLOG_PAGE) break
  }
  ws.on('close', unsubscribe)
  ws.on('error', unsubscribe)
}
