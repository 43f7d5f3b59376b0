import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { SimulatorError } from '../errors'
import { CLOSE_SANDBOX_RESET, type SimulatorCore } from './core'
import type { SandboxRegistry } from './registry'
import { selectSandbox, unknownSandbox } from './selectSandbox'

export interface SocketEndpoint {
  /** Throws a SimulatorError to refuse the upgrade with that HTTP status and error body; what it returns goes to serve. */
  check?(core: SimulatorCore, url: URL, request: IncomingMessage): unknown
  serve(core: SimulatorCore, ws: WebSocket, url: URL, checked?: unknown): void
  /** Largest message a client may send. */
  maxPayload: number
}

/**
 * Routes WebSocket upgrades the way HTTP requests are routed: to a sandbox (path prefix or
 * header), then to an endpoint by path. A refusal is an HTTP response in the API's error
 * shape, so a client learns why (unknown sandbox, player, ...), not just "socket hang up".
 * Every socket is registered with its core, which closes it on reset.
 */
export function routeUpgrades(server: Server, registry: SandboxRegistry, endpoints: Record<string, SocketEndpoint>, log: (message: string) => void) {
  const servers = new Map(Object.entries(endpoints).map(([path, endpoint]) => [path, new WebSocketServer({ noServer: true, maxPayload: endpoint.maxPayload })]))
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void accept(request, socket, head).catch((error: unknown) => {
      if (!(error instanceof SimulatorError)) log(`[simulator] WebSocket upgrade failed: ${error instanceof Error ? error.stack : String(error)}`)
      const refusal = error instanceof SimulatorError ? error : new SimulatorError('INTERNAL', 'internal error in the simulator; see its log')
      const body = JSON.stringify(refusal.toBody())
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
    })
  })

  async function accept(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { name, url: rest } = selectSandbox(request.url ?? '/', request.headers)
    const url = new URL(rest, 'http://localhost')
    const endpoint = endpoints[url.pathname]
    const wss = servers.get(url.pathname)
    if (!endpoint || !wss) throw new SimulatorError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}`)
    // After a reset in progress: a socket must join the new core, not the one being stopped.
    const core = await registry.resolve(name)
    if (!core) throw unknownSandbox(name)
    const context = endpoint.check?.(core, url, request)
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (core.stopped) {
        ws.close(CLOSE_SANDBOX_RESET, 'sandbox reset')
        return
      }
      core.sockets.add(ws)
      ws.on('close', () => core.sockets.delete(ws))
      endpoint.serve(core, ws, url, context)
    })
  }
  return {
    close() {
      for (const wss of servers.values()) {
        for (const client of wss.clients) client.terminate()
        wss.close()
      }
    },
  }
}
