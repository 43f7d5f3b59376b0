import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { refuseRequest } from '@superapp-sim/game-sdk/express'
import type { SiteAllowlist } from '@superapp-sim/game-sdk/server'
import { SimulatorError } from '../errors'
import { noteClientAddress, socketPeerAddress, type ClientAddressOf } from '../http/clientAddress'
import { CLOSE_SANDBOX_RESET, type SimulatorCore } from './core'
import type { SandboxRegistry } from './registry'
import { selectSandbox, unknownSandbox } from './selectSandbox'
import { errorMessage } from '@superapp-sim/game-sdk'

/** What an endpoint does with the messages of one open socket; an endpoint that only sends returns nothing. */
export interface SocketSession {
  /** One message from the client. A throw or a rejection closes the socket with 1011, never the process. */
  message?(data: RawData, isBinary: boolean): void | Promise<void>
}

export interface SocketEndpoint {
  /** Throws a SimulatorError to refuse the upgrade with that HTTP status and error body; what it returns goes to serve. */
  check?(core: SimulatorCore, url: URL, request: IncomingMessage): unknown
  serve(core: SimulatorCore, ws: WebSocket, url: URL, checked?: unknown): SocketSession | void
  /** Largest message a client may send; a larger one closes the socket with 1009. */
  maxPayload: number
}

/** WebSocket close codes (RFC 6455 7.4.1) the simulator closes a misbehaving or failed socket with. */
export const CLOSE_PROTOCOL_ERROR = 1002
export const CLOSE_MESSAGE_TOO_BIG = 1009
export const CLOSE_INTERNAL_ERROR = 1011

/** The close code for an `error` of a ws socket: what the client did wrong, or our own failure. */
export function closeCodeFor(error: Error & { code?: string }): number {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return CLOSE_MESSAGE_TOO_BIG
  if (error.code?.startsWith('WS_ERR_')) return CLOSE_PROTOCOL_ERROR
  return CLOSE_INTERNAL_ERROR
}

/** The origins of the pages a sandbox's host shell loads: its mini games' game URLs. */
function gameOrigins(core: SimulatorCore): string[] {
  return core.store.state.miniGames.flatMap((game) => (game.gameUrl && URL.canParse(game.gameUrl) ? [new URL(game.gameUrl).origin] : []))
}

/**
 * Routes WebSocket upgrades the way HTTP requests are routed: to a sandbox (path prefix or
 * header), then to an endpoint by path. A refusal is an HTTP response in the API's error
 * shape, so a client learns why (unknown sandbox, player, foreign page ...), not just
 * "socket hang up". Every socket is registered with its core, which closes it on reset.
 *
 * This is the one place sockets are created, so it is where they are made safe: the Host
 * and the Origin are checked before the upgrade (a browser lets any page open a WebSocket
 * anywhere: only the simulator's own pages and its games' pages may), and every socket and
 * server handles `error` and closes with a code (1009 too big, 1002 protocol error, 1011
 * our failure) instead of taking the process down.
 */
export function routeUpgrades(
  server: Server,
  registry: SandboxRegistry,
  endpoints: Record<string, SocketEndpoint>,
  sites: SiteAllowlist,
  log: (message: string) => void,
  options: {
    /** Tells an upgrade's client address (the simulator's; default the TCP peer). */
    clientAddress?: ClientAddressOf
    /** Why an upgrade to this path (inside its sandbox) is refused before anything else (the LAN demo's gate), or undefined. */
    admit?: (request: IncomingMessage, path: string) => SimulatorError | undefined
  } = {},
) {
  const servers = new Map(
    Object.entries(endpoints).map(([path, endpoint]) => {
      const wss = new WebSocketServer({ noServer: true, maxPayload: endpoint.maxPayload })
      wss.on('error', (error) => log(`[simulator] WebSocket server ${path}: ${error.message}`))
      return [path, wss] as const
    }),
  )
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off an upgraded socket; until ws adds one, a reset
    // connection (ECONNRESET) would be an unhandled 'error'.
    socket.on('error', () => socket.destroy())
    void accept(request, socket, head).catch((error: unknown) => {
      if (!(error instanceof SimulatorError)) log(`[simulator] WebSocket upgrade failed: ${errorMessage(error, { stack: true })}`)
      const refusal = error instanceof SimulatorError ? error : new SimulatorError('INTERNAL', 'internal error in the simulator; see its log')
      const body = JSON.stringify(refusal.toBody())
      if (socket.writable) socket.end(`HTTP/1.1 ${refusal.status} ${refusal.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
    })
  })

  async function accept(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    noteClientAddress(request, options.clientAddress ?? socketPeerAddress)
    const badHost = refuseRequest(sites, request, false)
    if (badHost) throw new SimulatorError('FORBIDDEN', badHost)
    const { name, url: rest } = selectSandbox(request.url ?? '/', request.headers)
    const url = new URL(rest, 'http://localhost')
    const notAdmitted = options.admit?.(request, url.pathname)
    if (notAdmitted) throw notAdmitted
    const endpoint = endpoints[url.pathname]
    const wss = servers.get(url.pathname)
    if (!endpoint || !wss) throw new SimulatorError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}`)
    // After a reset in progress: a socket must join the new core, not the one being stopped.
    const core = await registry.resolve(name)
    if (!core) throw unknownSandbox(name)
    const badOrigin = refuseRequest(sites, request, true, gameOrigins(core))
    if (badOrigin) throw new SimulatorError('FORBIDDEN', `${url.pathname}: ${badOrigin} Only the simulator's own pages and its mini games' pages (their game URLs) may open this socket.`)
    const context = endpoint.check?.(core, url, request)
    if (socket.destroyed) return
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', (error: Error & { code?: string }) => {
        log(`[simulator] closed a ${url.pathname} socket: ${error.message}`)
        if (ws.readyState === ws.OPEN) ws.close(closeCodeFor(error), error.message.slice(0, 100))
      })
      if (core.stopped) {
        ws.close(CLOSE_SANDBOX_RESET, 'sandbox reset')
        return
      }
      core.sockets.add(ws)
      ws.on('close', () => core.sockets.delete(ws))
      const failed = (error: unknown) => {
        log(`[simulator] ${url.pathname} failed: ${errorMessage(error, { stack: true })}`)
        if (ws.readyState === ws.OPEN) ws.close(CLOSE_INTERNAL_ERROR, 'internal error in the simulator; see its log')
      }
      let session: SocketSession | void
      try {
        session = endpoint.serve(core, ws, url, context)
      } catch (error) {
        return failed(error)
      }
      const onMessage = session?.message
      if (!onMessage) return
      ws.on('message', (data, isBinary) => {
        try {
          void Promise.resolve(onMessage(data, isBinary)).catch(failed)
        } catch (error) {
          failed(error)
        }
      })
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
