import type { Server } from 'node:http'
import { WebSocketServer } from 'ws'
import type { EventBus } from '../events/eventBus'

export const HOST_EVENTS_PATH = '/host/events'

/**
 * Streams simulator events to the host shell over a WebSocket, so a developer watches the
 * delivery reach their server (and fail, and retry) next to the game. Read-only: nothing
 * a client sends is acted on.
 */
export function attachHostEvents(server: Server, bus: EventBus) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 })
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== HOST_EVENTS_PATH) {
      socket.destroy()
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const wanted = url.searchParams.get('appId')
      const unsubscribe = bus.subscribe((event) => {
        if (wanted && event.appId !== wanted) return
        ws.send(JSON.stringify(event))
      })
      ws.on('close', unsubscribe)
      ws.on('error', unsubscribe)
    })
  })
  return {
    close() {
      for (const client of wss.clients) client.terminate()
      wss.close()
    },
  }
}
