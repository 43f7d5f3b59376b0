/** How the host shell's event panel words what it shows: pure functions, tested beside. */

/**
 * A host call's data as a person reads it: JSON pretty-printed, and a JSON string inside it
 * (signData, its `attach`) shown parsed rather than as escaped text.
 */
export function prettyJson(value: unknown): string {
  const unpack = (v: unknown): unknown => {
    if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
      try {
        return unpack(JSON.parse(v))
      } catch {
        return v
      }
    }
    if (Array.isArray(v)) return v.map(unpack)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, unpack(inner)]))
    return v
  }
  const unpacked = unpack(value)
  return typeof unpacked === 'string' ? unpacked : JSON.stringify(unpacked, null, 2)
}

/** A delivery attempt's outcome line: the status once (the error may begin with it too), the latency, the error. */
export function describeAttempt(status: number | undefined, latencyMs: number, error: string | undefined): string {
  const statusText = status ? `HTTP ${status}` : ''
  const rest = error && statusText && error.startsWith(statusText) ? error.slice(statusText.length).replace(/^[\s:,;-]+/, '') : error
  return [statusText, `${latencyMs} ms`].filter(Boolean).join(', ') + (rest ? `; ${rest}` : '')
}
