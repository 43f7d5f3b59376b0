/**
 * Who sent a request, as far as the simulator's network rules go (test control and the
 * console on loopback only, the LAN demo's cookie for everyone else). The one place the
 * client address is read: a request is noted once where it enters the simulator (the first
 * middleware, the WebSocket upgrade), with the function the simulator was started with.
 */
import type { IncomingMessage } from 'node:http'

/** Tells a request's client address. */
export type ClientAddressOf = (request: IncomingMessage) => string | undefined

/** The default: the TCP peer, never a header (a header is whatever the client writes). */
export const socketPeerAddress: ClientAddressOf = (request) => request.socket.remoteAddress

const noted = new WeakMap<IncomingMessage, string | undefined>()

/** Notes the client address of a request where it enters the simulator. */
export function noteClientAddress(request: IncomingMessage, addressOf: ClientAddressOf): void {
  noted.set(request, addressOf(request))
}

/** The noted client address of a request, or its TCP peer when it was not noted. */
export function clientAddress(request: IncomingMessage): string | undefined {
  return noted.has(request) ? noted.get(request) : socketPeerAddress(request)
}

/** True for a loopback address (IPv4, IPv6, IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  return /^(127\.|::1$|::ffff:127\.)/.test(address ?? '')
}

/** True when the request comes from this machine. */
export function isLoopbackClient(request: IncomingMessage): boolean {
  return isLoopback(clientAddress(request))
}
