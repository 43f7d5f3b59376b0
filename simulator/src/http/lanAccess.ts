/**
 * The LAN demo (`start --lan`, docs/decisions/012-lan-demo.md): phones on the same network
 * open the host shell through a one-time invitation URL; everyone else from the network is
 * refused. Requests from this machine are not affected.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import { SimulatorError } from '../errors'
import { isLoopback, socketPeerAddress, type ClientAddressOf } from './clientAddress'

/** The query parameter of the invitation URL that carries the one-time token. */
export const LAN_TOKEN_PARAM = 'lan'
/** The cookie a device gets for a spent token. Cookies do not depend on the port: the sample game server sees it too. */
export const LAN_COOKIE = 'superapp_sim_lan'

/** What a device from the network that has not opened an invitation is told. */
export const LAN_INVITATION_NEEDED =
  'this simulator is open to your network for a demo (--lan), to devices that opened its invitation: open the URL printed in the terminal where it runs (or scan the QR code there) on this device. Each printed URL works once; the terminal then prints the next one.'
/** What a device from the network is told about the console and the test control. */
export const LAN_LOOPBACK_ONLY =
  'the console and the test-control API (/_sim) answer on the machine the simulator runs on only, also in --lan mode: open them there (http://localhost:<port>/console/).'
const SPENT_TOKEN = 'this invitation was used already or is not this simulator\'s: open the newest URL printed in the terminal where the simulator runs (or scan its QR code) on this device.'

/** Paths that stay on this machine whatever a device from the network presents. Case-insensitive: Express routes are. */
const LOOPBACK_PATHS = /^\/(?:console|_sim)(?:\/|$)/i

export interface LanAccess {
  /** The machine's address on the network, which phones reach (IPv4). */
  readonly address: string
  /** The URL a phone opens now: `http://<address>:<port><path>?lan=<token>`. Works once. */
  invitation(port: number, path?: string): string
  /** Calls `listener` each time a device spends the token (a new one is then in force), with the device's address. */
  onSpent(listener: (deviceAddress: string | undefined) => void): void
  /**
   * The simulator's middleware (after the sandbox prefix is taken off the URL): redeems the
   * token with a cookie and a redirect, refuses the console and /_sim to the network, and
   * every other request from the network without the cookie.
   */
  readonly simulatorGate: RequestHandler
  /** Refuses every request from the network: mounted on the console and /_sim paths, behind the gate's own path check. */
  readonly loopbackOnly: RequestHandler
  /** Another server of the same demo (the sample game's): a device from the network needs the cookie. */
  readonly guestGate: RequestHandler
  /** Why a WebSocket upgrade to `path` (inside its sandbox) is refused, or undefined. */
  refuseUpgrade(request: IncomingMessage, path: string): SimulatorError | undefined
}

/** A random value that is safe in a URL and a cookie. */
const randomToken = () => randomBytes(24).toString('base64url')

/** The value of one cookie of a request, or undefined. */
function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

/** The same secret, compared in time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The path of a request without the token (where the redirect goes); never a `//host` URL. */
function withoutToken(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://localhost')
  url.searchParams.delete(LAN_TOKEN_PARAM)
  return url.pathname.startsWith('//') ? '/host/' : `${url.pathname}${url.search}`
}

/** Whether a path (inside its sandbox) is the console's or the test control's, however it is spelled. */
function loopbackOnlyPath(path: string): boolean {
  const pathname = path.split('?')[0]!.replace(/\/{2,}/g, '/')
  let decoded = pathname
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    // A malformed escape: the routes answer it with a 400 or 404; judge it as written.
  }
  return LOOPBACK_PATHS.test(pathname) || LOOPBACK_PATHS.test(decoded)
}

/**
 * Starts the LAN access of one simulator run: a token in force, no device admitted yet.
 * Devices are kept in memory: a restart forgets them. `clientAddress` tells who sent a
 * request (the simulator's, so the sample game server judges a request as it does).
 */
export function createLanAccess(address: string, clientAddressOf: ClientAddressOf = socketPeerAddress): LanAccess {
  const fromThisMachine = (request: IncomingMessage) => isLoopback(clientAddressOf(request))
  let token = randomToken()
  const devices = new Set<string>()
  const listeners: ((deviceAddress: string | undefined) => void)[] = []
  const admitted = (request: IncomingMessage) => {
    const cookie = cookieValue(request, LAN_COOKIE)
    return cookie !== undefined && devices.has(cookie)
  }

  const simulatorGate: RequestHandler = (req, res, next) => {
    if (fromThisMachine(req)) return next()
    // Only a path in the request line (origin form, as browsers send it). `GET http://host/console/…`
    // (absolute form, a proxy's) also reaches the console, since Express routes on its pathname.
    if (!req.url.startsWith('/') || !URL.canParse(req.url, 'http://localhost')) {
      throw new SimulatorError('VALIDATION_FAILED', 'the request line must name a path such as /host/, not a whole URL')
    }
    if (loopbackOnlyPath(req.url)) throw new SimulatorError('FORBIDDEN', LAN_LOOPBACK_ONLY)
    const offered = new URL(req.url, 'http://localhost').searchParams.get(LAN_TOKEN_PARAM)
    // A phone already admitted that opens an old invitation again: let it in, and spend nothing.
    if (offered !== null && admitted(req)) return void res.redirect(302, withoutToken(req.originalUrl))
    if (offered !== null) {
      if (!sameSecret(offered, token)) throw new SimulatorError('FORBIDDEN', SPENT_TOKEN)
      token = randomToken()
      const device = randomToken()
      devices.add(device)
      // HttpOnly: no script of a framed game reads it. Lax: sent when the phone opens the
      // shell and to the game frame of the same address, not with another site's requests.
      res.cookie(LAN_COOKIE, device, { httpOnly: true, sameSite: 'lax', path: '/' })
      res.redirect(302, withoutToken(req.originalUrl))
      for (const listener of listeners) listener(clientAddressOf(req))
      return
    }
    if (!admitted(req)) throw new SimulatorError('FORBIDDEN', LAN_INVITATION_NEEDED)
    next()
  }

  /** A second wall, mounted on the console and /_sim by Express's own path matching: nothing from the network. */
  const loopbackOnly: RequestHandler = (req, _res, next) => {
    if (!fromThisMachine(req)) throw new SimulatorError('FORBIDDEN', LAN_LOOPBACK_ONLY)
    next()
  }

  const guestGate: RequestHandler = (req, res, next) => {
    if (fromThisMachine(req) || admitted(req)) return next()
    const refusal = new SimulatorError('FORBIDDEN', LAN_INVITATION_NEEDED)
    res.status(refusal.status).json(refusal.toBody())
  }

  return {
    address,
    invitation: (port, path = '/host/') => `http://${address}:${port}${path}?${LAN_TOKEN_PARAM}=${token}`,
    onSpent: (listener) => void listeners.push(listener),
    simulatorGate,
    loopbackOnly,
    guestGate,
    refuseUpgrade(request, path) {
      if (fromThisMachine(request)) return undefined
      if (loopbackOnlyPath(path)) return new SimulatorError('FORBIDDEN', LAN_LOOPBACK_ONLY)
      if (!admitted(request)) return new SimulatorError('FORBIDDEN', LAN_INVITATION_NEEDED)
      return undefined
    },
  }
}
