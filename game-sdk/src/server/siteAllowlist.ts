import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

/**
 * Who may talk to a local development server: which `Host` names it answers to and which
 * web pages (`Origin`) may change something on it or open its WebSockets. The one place
 * these rules live; the HTTP guard (requestGuard.ts) and the simulator's WebSocket upgrades
 * both ask it.
 *
 * Why: a server on 127.0.0.1 is still reachable from any web page the developer opens.
 * Browsers send cross-site form posts and `fetch`es without asking (only reading the answer
 * is blocked), open WebSockets to any origin, and through DNS rebinding a page of
 * `attacker.example` can even read answers, under its own name. A loopback `Host` and a
 * known `Origin` close those doors; clients that are not browsers send no `Origin` and
 * are not affected.
 */
export interface SiteAllowlistOptions {
  /**
   * Host names answered besides the loopback ones, as Vite's `server.allowedHosts`:
   * `"dev.example"` that name only, `".example"` the name and every subdomain of it.
   */
  allowedHosts?: readonly string[]
  /**
   * The address the server listens on. When it is not loopback (a LAN mode), the addresses
   * it is reachable at are allowed hosts too: `0.0.0.0` or `::` means every address of this
   * machine. An IP address cannot be rebound, so this opens no door to DNS rebinding.
   */
  listenHost?: string
  /**
   * Origins of pages of other sites trusted like the server's own, e.g. a Vite dev server
   * that serves the game and proxies to this server (`http://localhost:5173`).
   */
  allowedOrigins?: readonly string[]
  /** What a user does to allow another host name, with `<name>` for the name: e.g. "start it with --allowed-host <name>". */
  howToAllowHost?: string
}

export interface SiteAllowlist {
  /** Why a request naming this `Host` header is refused, or undefined when the host is allowed. */
  refuseHost(host: string | undefined): string | undefined
  /**
   * Why a request from a page of `origin` to this server (reached as `host`) is refused, or
   * undefined when it is allowed: no `Origin` (not a browser), a page of this server (an
   * allowed host on the same port), a configured origin, or one of `trusted` (e.g. the game
   * pages a host shell loads).
   */
  refuseOrigin(origin: string | undefined, host: string | undefined, trusted?: Iterable<string>): string | undefined
}

const DEFAULT_HOW_TO_ALLOW = 'add "<name>" to the server\'s allowed hosts'
/** A Host header: a DNS name or IPv4 address, or a bracketed IPv6 address, and an optional port. Nothing else (no user info, no path). */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i
/** An allowedHosts entry: a name (a leading dot for its subdomains too) or an IP address, without a port. */
const ALLOWED_HOST_ENTRY = /^(?:\.?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/

/**
 * True for names that always mean this machine: `localhost` and its subdomains (RFC 6761),
 * 127.0.0.0/8 and `[::1]`.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const name = normalizeHostname(hostname)
  return name === 'localhost' || name.endsWith('.localhost') || /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name) || name === '[::1]'
}

/** Lower case, without a trailing dot; IPv6 in brackets as in a URL. */
function normalizeHostname(hostname: string): string {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return isIP(name) === 6 ? `[${name}]` : name
}

/** The host name and port a `Host` header names, or undefined when it is not a plain host[:port]. */
function parseHostHeader(host: string): { hostname: string; port: string } | undefined {
  const match = HOST_HEADER.exec(host.trim())
  if (!match) return undefined
  return { hostname: normalizeHostname(match[1]!), port: match[2] ?? '' }
}

/** The addresses a server bound to `listenHost` is reached at, when that is not loopback. */
function listenAddresses(listenHost: string | undefined): string[] {
  if (!listenHost || isLoopbackHostname(listenHost)) return []
  if (listenHost !== '0.0.0.0' && listenHost !== '::') return [normalizeHostname(listenHost)]
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((address) => (address ? [normalizeHostname(address.address)] : []))
}

/**
 * Builds the allowlist of one server from its options; checks them when built.
 *
 * @example
 * const sites = createSiteAllowlist({ allowedHosts: ['.dev.example'], howToAllowHost: 'start it with --allowed-host <name>' })
 * sites.refuseHost('localhost:7070') // undefined: allowed
 * sites.refuseHost('attacker.example:7070') // 'this server answers to localhost …'
 * sites.refuseOrigin('http://evil.example', 'localhost:7070') // 'this request comes from a page of http://evil.example …'
 */
export function createSiteAllowlist(options: SiteAllowlistOptions = {}): SiteAllowlist {
  const exact = new Set<string>(listenAddresses(options.listenHost))
  const suffixes: string[] = []
  for (const entry of options.allowedHosts ?? []) {
    const name = normalizeHostname(entry.trim())
    if (!ALLOWED_HOST_ENTRY.test(name)) {
      throw new TypeError(`allowed host "${entry}" is not a host name: give a name such as dev.example, or .dev.example for it and its subdomains`)
    }
    if (name.startsWith('.')) suffixes.push(name)
    else exact.add(name)
  }
  const allowedOrigins = new Set<string>()
  for (const origin of options.allowedOrigins ?? []) {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      throw new TypeError(`allowed origin "${origin}" is not an origin: give scheme, host and port only, e.g. http://localhost:5173`)
    }
    allowedOrigins.add(parsed.origin)
  }
  const howToAllow = options.howToAllowHost ?? DEFAULT_HOW_TO_ALLOW

  const hostnameAllowed = (hostname: string) =>
    isLoopbackHostname(hostname) || exact.has(hostname) || suffixes.some((suffix) => hostname === suffix.slice(1) || hostname.endsWith(suffix))

  return {
    refuseHost(host) {
      const parsed = host === undefined ? undefined : parseHostHeader(host)
      if (parsed && hostnameAllowed(parsed.hostname)) return undefined
      const named = host === undefined ? 'no Host header' : `the Host "${host.slice(0, 100)}"`
      const fix = parsed ? ` If you reach this server under that name on purpose, ${howToAllow.replaceAll('<name>', parsed.hostname)}.` : ''
      return `this server answers to localhost, 127.0.0.1 and [::1] and the hosts it was told to allow, and this request names ${named}: a web page may be reaching it through DNS rebinding.${fix}`
    },

    refuseOrigin(origin, host, trusted = []) {
      if (origin === undefined) return undefined
      const page = URL.canParse(origin) ? new URL(origin) : undefined
      const reachedAs = host === undefined ? undefined : parseHostHeader(host)
      if (page && /^https?:$/.test(page.protocol)) {
        const defaultPort = page.protocol === 'https:' ? '443' : '80'
        const samePort = reachedAs !== undefined && (page.port || defaultPort) === (reachedAs.port || defaultPort)
        if (samePort && hostnameAllowed(normalizeHostname(page.hostname))) return undefined
        if (allowedOrigins.has(page.origin)) return undefined
        for (const other of trusted) if (other === page.origin) return undefined
      }
      return `this request comes from a web page of ${origin.slice(0, 100)}, which is not one of this server's own pages: browsers send such requests without asking the user. Call it from your own server, a script or the command line (they send no Origin), or from the server's own pages.`
    },
  }
}
