import { hostCall, hostResultSchema, type HostResultPayload, type HostTransport } from '../protocol/channel'
import { GameSdkError } from '../core/errors'

export interface PostMessageTransportOptions {
  /** The host shell's origin. Default: the origin of document.referrer (the page that framed the game). */
  hostOrigin?: string
  /** The window to talk to. Default: window.parent. */
  host?: Window
  /** How long login may take before it fails; payments wait for the player and have no limit. */
  loginTimeoutMs?: number
}

/**
 * The game side of the postMessage wire: the game runs in a frame of the host shell, on
 * its own origin, and can only ask; the payment sheet lives in the host's page.
 */
export function createPostMessageTransport(options: PostMessageTransportOptions = {}): HostTransport {
  const host = options.host ?? window.parent
  if (!host || host === window) {
    throw new GameSdkError(
      'NO_HOST',
      'no host shell: this page is not running inside a superapp frame. Open it through the simulator, e.g. http://localhost:7070/host/?game=<your game URL>.',
    )
  }
  const hostOrigin = options.hostOrigin ?? referrerOrigin() ?? '*'
  const pending = new Map<string, { resolve: (r: HostResultPayload) => void; timer?: ReturnType<typeof setTimeout> }>()
  let nextId = 0

  function onMessage(event: MessageEvent) {
    if (event.source !== host) return
    if (hostOrigin !== '*' && event.origin !== hostOrigin) return
    const parsed = hostResultSchema.safeParse(event.data)
    if (!parsed.success) return
    const entry = pending.get(parsed.data.payload.callId)
    if (!entry) return
    pending.delete(parsed.data.payload.callId)
    if (entry.timer) clearTimeout(entry.timer)
    entry.resolve(parsed.data.payload)
  }
  window.addEventListener('message', onMessage)

  return {
    call(api, params) {
      const callId = `${Date.now().toString(36)}-${(nextId++).toString(36)}`
      return new Promise<HostResultPayload>((resolve, reject) => {
        const entry: { resolve: (r: HostResultPayload) => void; timer?: ReturnType<typeof setTimeout> } = { resolve }
        if (api === 'login') {
          entry.timer = setTimeout(() => {
            pending.delete(callId)
            reject(new GameSdkError('HOST_TIMEOUT', `the host did not answer ${api} within ${options.loginTimeoutMs ?? 10_000} ms`))
          }, options.loginTimeoutMs ?? 10_000)
        }
        pending.set(callId, entry)
        host.postMessage(hostCall(callId, api, params), hostOrigin)
      })
    },
    close() {
      window.removeEventListener('message', onMessage)
      for (const entry of pending.values()) if (entry.timer) clearTimeout(entry.timer)
      pending.clear()
    },
  }
}

function referrerOrigin(): string | undefined {
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined
  } catch {
    return undefined
  }
}
