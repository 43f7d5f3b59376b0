import { isSimulatorErrorCode, SimulatorError } from '../errors'

/**
 * JSON over HTTP to the simulator's test-control API, the scenario game server, or anything
 * else that answers `{error: {code, message}}`: the one place that fetches, guards the parse
 * and maps wire errors to SimulatorError (the CLI, the sandbox client and the runner all
 * call through it, so a non-JSON answer reads the same everywhere).
 *
 * - cannot connect: UNREACHABLE, with the service's hint;
 * - an answer that is not JSON (an HTML page, another program on the port): UNREACHABLE,
 *   with the HTTP status and the hint;
 * - an error answer: its own code (the simulator's codes pass through), the status and the
 *   message; an error body without a known code is not our service: UNREACHABLE.
 */
export interface JsonService {
  /** The service's base URL; paths are appended to it. */
  baseUrl: string
  /** How messages name it, e.g. "the simulator". */
  name: string
  /** What to check when it cannot be reached or answers something else. */
  hint: string
}

/** Says where the simulator is expected, for the UNREACHABLE messages. */
export function simulatorService(baseUrl: string): JsonService {
  return {
    baseUrl,
    name: 'the simulator',
    hint: 'is the simulator running there (superapp-sim start prints its URL; default http://127.0.0.1:7070)?',
  }
}

/**
 * Sends one request and parses the JSON answer.
 *
 * @example
 * const clock = await requestJson<{ nowMs: number }>(simulatorService(url), 'GET', '/_sim/clock')
 */
export async function requestJson<T>(service: JsonService, method: string, path: string, body?: unknown): Promise<T> {
  const url = `${service.baseUrl}${path}`
  let response: Response
  try {
    response = await fetch(url, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message
    throw new SimulatorError('UNREACHABLE', `cannot reach ${service.name} at ${service.baseUrl} (${method} ${path}): ${reason}. ${capitalize(service.hint)}`, { cause: error })
  }
  const text = await response.text()
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    const type = response.headers.get('content-type')?.split(';')[0] ?? 'no content type'
    throw new SimulatorError(
      'UNREACHABLE',
      `${method} ${url} answered HTTP ${response.status} with ${type}, not JSON: ${service.hint} It said: ${oneLine(text)}`,
    )
  }
  if (response.ok) return json as T
  const wire = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
  const message = typeof wire?.message === 'string' ? wire.message : oneLine(text)
  if (!isSimulatorErrorCode(wire?.code)) {
    throw new SimulatorError('UNREACHABLE', `${method} ${url} answered HTTP ${response.status} without an error code: ${service.hint} It said: ${message}`)
  }
  throw new SimulatorError(wire.code, `${method} ${path} answered ${response.status} ${wire.code}: ${message}`)
}

const oneLine = (text: string) => (text.replace(/\s+/g, ' ').trim() || '(nothing)').slice(0, 200)
const capitalize = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`
