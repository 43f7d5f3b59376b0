import type { WebSocket } from 'ws'
import type { SimulatorCore } from '../sandbox/core'

export const HOST_EVENTS_PATH = '/host/events'

/**
 * Streams a sandbox's events to the host shell over a WebSocket, so a developer watches the
 * delivery reach their server (and fail, and retry) next to the game. Read-only: nothing
 * a client sends is acted on. `?appId=` narrows to one game.
 */
export function serveHostEvents(core: SimulatorCore, ws: WebSocket, url: URL): void {
  const wanted = url.searchParams.get('appId')
  const unsubscribe = core.events.subscribe((event) => {
    // The shell shows what happens to games; clock moves and resets are QA's business.
    if (!('appId' in event)) return
    if (wanted && event.appId !== wanted) return
    ws.send(JSON.stringify(event))
  })
  ws.on('close', unsubscribe)
  ws.on('error', unsubscribe)
}
