import { z } from 'zod'

/**
 * The game <-> host shell wire, carried by postMessage (browser) or WebSocket (headless).
 * One envelope `{source, type, payload}`, SCREAMING_SNAKE types, validated with zod on the
 * receiving side and unpacked only here.
 */
export const CHANNEL_SOURCE = 'superapp-sim'

export const HOST_APIS = ['login', 'requestMidasPaymentGameItem'] as const
export type HostApi = (typeof HOST_APIS)[number]

export const hostCallSchema = z.object({
  source: z.literal(CHANNEL_SOURCE),
  type: z.literal('HOST_CALL'),
  payload: z.object({
    callId: z.string().min(1).max(64),
    api: z.enum(HOST_APIS),
    // Kept raw on purpose: the host must see what the game really passed (an object
    // signData is errCode -15011, not a schema failure of the channel).
    params: z.record(z.string(), z.unknown()),
  }),
})
export type HostCall = z.infer<typeof hostCallSchema>

export const hostResultSchema = z.object({
  source: z.literal(CHANNEL_SOURCE),
  type: z.literal('HOST_RESULT'),
  payload: z.object({
    callId: z.string(),
    ok: z.boolean(),
    result: z.looseObject({ errMsg: z.string(), errCode: z.number().optional(), code: z.string().optional() }),
  }),
})
export type HostResult = z.infer<typeof hostResultSchema>
export type HostResultPayload = HostResult['payload']

export function hostCall(callId: string, api: HostApi, params: Record<string, unknown>): HostCall {
  return { source: CHANNEL_SOURCE, type: 'HOST_CALL', payload: { callId, api, params } }
}

export function hostResult(payload: HostResultPayload): HostResult {
  return { source: CHANNEL_SOURCE, type: 'HOST_RESULT', payload }
}

/** How a game reaches its host: postMessage in a browser, WebSocket headless, memory in tests. */
export interface HostTransport {
  call(api: HostApi, params: Record<string, unknown>): Promise<HostResultPayload>
  close?(): void
}
