/**
 * The host shell's relay of `wx.request` (POST /host/api/request): what the shell sends
 * and what the simulator answers. Browser-safe: the shell and the route share it.
 */
import { z } from 'zod'
import { NETWORK_TIMEOUT_MAX_MS } from './minigameConfig'

/** wx.request's methods (lib.wx.api.d.ts RequestOption.method). */
export const REQUEST_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'] as const

/** A request body the relay takes (1 MiB of data, base64 included). */
export const RELAY_MAX_BODY_CHARS = Math.ceil((1024 * 1024 * 4) / 3)
/** An answer the relay gives back: more is refused as too large. */
export const RELAY_MAX_RESPONSE_BYTES = 10 * 1024 * 1024

export const BODY_ENCODINGS = ['utf8', 'base64'] as const

export const relayRequestSchema = z
  .object({
    appId: z.string().min(1).max(64),
    url: z.string().min(1).max(4096),
    method: z.enum(REQUEST_METHODS),
    header: z.record(z.string().max(256), z.string().max(8192)).refine((h) => Object.keys(h).length <= 64, 'at most 64 headers'),
    body: z.string().max(RELAY_MAX_BODY_CHARS).optional(),
    bodyEncoding: z.enum(BODY_ENCODINGS).default('utf8'),
    timeoutMs: z.number().int().min(1).max(NETWORK_TIMEOUT_MAX_MS),
  })
  .strict()
export type RelayRequest = z.input<typeof relayRequestSchema>

/** The game's request went out and came back (any HTTP status), or the host refused or failed it. */
export const relayResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    statusCode: z.number().int(),
    header: z.record(z.string(), z.string()),
    body: z.string(),
    bodyEncoding: z.enum(BODY_ENCODINGS),
    note: z.string().optional().describe('what the real host would say of a loopback request it let through'),
  }),
  z.object({
    ok: z.literal(false),
    errMsg: z.string().describe('request:fail …'),
    errno: z.number().int().optional().describe('600002: url not in domain list'),
    hint: z.string().optional(),
  }),
])
export type RelayResult = z.infer<typeof relayResultSchema>

/** WeChat's errno for a URL outside the request domains (seen with "request:fail url not in domain list"). */
export const ERRNO_NOT_IN_DOMAIN_LIST = 600002
