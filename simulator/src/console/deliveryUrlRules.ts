/**
 * The real console's URL rule: http:// on port 80 or https:// on port 443. The simulator
 * accepts any http(s) URL for local work and says, as a warning, what the real console
 * would refuse. Anything that is not an http(s) URL is an error.
 */
export function checkDeliveryUrl(field: string, value: string): { error?: string; warnings: string[] } {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { error: `${field} is not a URL: it must start with http:// or https://`, warnings: [] }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `${field} must start with http:// or https:// (got ${url.protocol}//)`, warnings: [] }
  }
  const warnings: string[] = []
  const defaultPort = url.protocol === 'http:' ? '80' : '443'
  if (url.port && url.port !== defaultPort) {
    warnings.push(`${field}: the real console accepts ${url.protocol}// only on port ${defaultPort}; port ${url.port} works in the simulator only`)
  }
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) {
    warnings.push(`${field}: ${url.hostname} is this machine; the real superapp needs an address it can reach from the internet`)
  }
  return { warnings }
}
