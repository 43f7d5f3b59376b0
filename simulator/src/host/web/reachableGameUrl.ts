/**
 * The game URL as the device showing the host shell reaches it. The stored game URL names
 * this machine as loopback (http://127.0.0.1:7071/), which on a phone of the LAN demo
 * (`start --lan`) would be the phone itself: when the shell was opened under another host
 * name, a loopback game URL is served under that name instead, on its own port. Nothing
 * with the network address is stored (it changes with the network). See
 * docs/decisions/012-lan-demo.md.
 */

/** Names that always mean the machine they are used on (RFC 6761 localhost, 127.0.0.0/8, [::1]). */
const LOOPBACK_NAME = /^(?:localhost|.+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/** `gameUrl` with its loopback host replaced by the shell's own host name when the shell is not on loopback. */
export function reachableGameUrl(gameUrl: string, shell: { href: string; hostname: string }): string {
  if (!gameUrl || LOOPBACK_NAME.test(shell.hostname) || !URL.canParse(gameUrl, shell.href)) return gameUrl
  const url = new URL(gameUrl, shell.href)
  if (!LOOPBACK_NAME.test(url.hostname)) return gameUrl
  url.hostname = shell.hostname
  return url.href
}
