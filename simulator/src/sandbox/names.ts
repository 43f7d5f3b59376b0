/**
 * How sandboxes (and fixtures) are named. A module of its own so the scenario files' schema
 * and the CLI can check a name without loading the simulator.
 */
export const DEFAULT_SANDBOX = 'default'
/** Names of sandboxes and of fixtures: they appear in URL paths and file names. */
export const SANDBOX_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/
export const SANDBOX_NAME_RULE = 'names are lower-case letters, digits, _ and - (at most 63), starting with a letter or digit'

/**
 * The sandbox prefix of a page's path: '' for the default sandbox, '/sandbox/<name>' for
 * another. The host shell (`/host/`) and the console (`/console/`) call their APIs and
 * sockets below it, so one build of each page serves every sandbox.
 *
 * @example
 * sandboxBaseOf('/sandbox/qa-1/console/', 'console') // '/sandbox/qa-1'
 * sandboxBaseOf('/host/', 'host') // ''
 */
export function sandboxBaseOf(pathname: string, page: 'host' | 'console'): string {
  // The last occurrence: a sandbox may itself be called "host" or "console".
  const at = pathname.lastIndexOf(`/${page}/`)
  return at < 0 ? '' : pathname.slice(0, at)
}
