/**
 * A mini game's request domains: the servers `wx.request` may reach, as the SAS console
 * has them (Mini game management > Development management > Domain settings; SAS docs,
 * mini game "Network"): https only, no IP address, no localhost, no port in the entry
 * (a request may use any port of a listed domain). The device also lets a game reach
 * other machines of its own LAN. The simulator adds one thing the host never allows:
 * loopback, on by default so a game server on this laptop works, with a note each time.
 * Browser-safe: the console page checks entries as they are typed.
 */
import type { MiniGame } from '../store/model'

/** What the host answers a request to a URL outside the list (WeChat's and SAS's errMsg). */
export const NOT_IN_DOMAIN_LIST = 'request:fail url not in domain list'

/** At most this many request domains per mini game (the console refuses more). */
export const MAX_REQUEST_DOMAINS = 200

export type DomainEntryCheck = { ok: true; entry: string } | { ok: false; error: string }

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

function isIpAddress(hostname: string): boolean {
  return IPV4.test(hostname) || hostname.startsWith('[')
}

/**
 * Checks a request domain as the console would take it, and gives its stored form
 * (`https://api.example.com`, lower case, no trailing slash).
 *
 * @example
 * checkDomainEntry('https://API.example.com/') // { ok: true, entry: 'https://api.example.com' }
 * checkDomainEntry('http://api.example.com')   // { ok: false, error: '… https …' }
 */
export function checkDomainEntry(input: string): DomainEntryCheck {
  const text = input.trim()
  if (!text) return { ok: false, error: 'enter a domain such as https://api.example.com' }
  if (!URL.canParse(text)) return { ok: false, error: `"${text}" is not a URL: write it as https://api.example.com` }
  const url = new URL(text)
  if (url.protocol !== 'https:') return { ok: false, error: `"${text}": request domains must be https:// (the host sends wx.request over HTTPS only)` }
  if (url.username || url.password) return { ok: false, error: `"${text}": no user or password in a request domain` }
  if (url.port) return { ok: false, error: `"${text}": no port in a request domain; requests may then use any port of it` }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return { ok: false, error: `"${text}": a request domain is scheme and host only, no path` }
  const hostname = url.hostname.toLowerCase()
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || isIpAddress(hostname)) {
    return { ok: false, error: `"${text}": the host does not take IP addresses or localhost as request domains` }
  }
  if (!hostname.includes('.')) return { ok: false, error: `"${text}": use the server's full domain name, such as api.example.com` }
  return { ok: true, entry: `https://${hostname}` }
}

/** Where a request may go, and why; or the host's refusal. */
export type RequestUrlCheck =
  | { allowed: true; reason: 'listed' | 'lan' | 'loopback'; note?: string }
  | { allowed: false; errMsg: string; hint: string }

export interface RequestPolicy {
  /** Stored entries (`https://api.example.com`). */
  domains: readonly string[]
  /** Simulator only: loopback addresses are reachable (default true). */
  allowLoopback: boolean
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '[::1]'
}

/** 10/8, 172.16/12, 192.168/16: "non-local IPs within the same LAN", which the device may reach. */
function isPrivateLan(hostname: string): boolean {
  const parts = IPV4.test(hostname) ? hostname.split('.').map(Number) : undefined
  if (!parts) return false
  const [a, b] = parts as [number, number]
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
}

/**
 * Whether `wx.request` may reach `rawUrl` under a mini game's policy.
 *
 * @example
 * checkRequestUrl('https://api.example.com:8443/x', { domains: ['https://api.example.com'], allowLoopback: true })
 * // { allowed: true, reason: 'listed' }
 */
export function checkRequestUrl(rawUrl: string, policy: RequestPolicy, gameName = 'this mini game'): RequestUrlCheck {
  const where = `Console > Basic configuration > Request domains of ${gameName}`
  if (!URL.canParse(rawUrl)) return { allowed: false, errMsg: 'request:fail invalid url', hint: `"${rawUrl}" is not an absolute URL: wx.request needs https://<your domain>/…` }
  const url = new URL(rawUrl)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { allowed: false, errMsg: 'request:fail invalid url', hint: `${url.protocol} is not a request URL: wx.request speaks https` }
  }
  const hostname = url.hostname.toLowerCase()
  if (isLoopback(hostname)) {
    if (!policy.allowLoopback) {
      return { allowed: false, errMsg: NOT_IN_DOMAIN_LIST, hint: `${url.origin} is loopback, which the host never allows and loopback requests are turned off in ${where}` }
    }
    return {
      allowed: true,
      reason: 'loopback',
      note: `${url.origin} is allowed because it is loopback (simulator only): the real host refuses localhost and IP addresses. Serve your API on an https domain and add it in ${where}.`,
    }
  }
  if (isPrivateLan(hostname)) {
    return { allowed: true, reason: 'lan', note: `${url.origin} is a LAN address: the device reaches its own LAN, but players outside it will not reach this server.` }
  }
  const listed = policy.domains.some((entry) => URL.canParse(entry) && new URL(entry).hostname === hostname)
  if (listed && url.protocol === 'https:') return { allowed: true, reason: 'listed' }
  if (listed) return { allowed: false, errMsg: NOT_IN_DOMAIN_LIST, hint: `${url.origin} is listed as https only: the host sends wx.request over HTTPS` }
  return { allowed: false, errMsg: NOT_IN_DOMAIN_LIST, hint: `${url.origin} is not in the request domains: add https://${hostname} in ${where}` }
}

/** What the real host would say of loopback, shown while it is allowed. */
export const LOOPBACK_NOTE =
  'Loopback (localhost, 127.0.0.1) is allowed here so a game server on this machine works: the real host refuses localhost and IP addresses, so list your server\'s https domain before you ship.'

/** The request domains of a game as the console shows them. */
export function describeDomains(game: MiniGame) {
  const allowLoopback = game.allowLoopbackRequests
  return { domains: game.requestDomains, allowLoopback, note: allowLoopback ? LOOPBACK_NOTE : undefined }
}
