import { z } from 'zod'

/**
 * The game <-> host shell wire, carried by postMessage (browser) or WebSocket (headless).
 * One envelope `{source, type, payload}`, SCREAMING_SNAKE types, validated with zod on the
 * receiving side and unpacked only here.
 */
export const CHANNEL_SOURCE = 'superapp-sim'

/** The host socket's path (headless players), after any sandbox prefix of the simulator URL. */
export const HOST_SOCKET_PATH = '/host/ws'

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
    result: z.looseObject({ errMsg: z.string(), errCode: z.number().optional(), errno: z.number().optional(), code: z.string().optional() }),
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

/*
 * The headless player's extra messages (WebSocket only, decision 006). On postMessage the
 * host shell draws the sheet itself; a headless player has no page, so the host tells it a
 * sheet is open and, when the sheet policy leaves it to the player, waits for its answer.
 */

/** What the payment sheet shows; the same fields the host shell draws. */
export const paymentSheetSchema = z.object({
  orderNo: z.string().min(1),
  productId: z.string(),
  name: z.string(),
  imageUrl: z.string(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  totalPrice: z.number().int(),
  currency: z.string(),
  gameName: z.string(),
  sandbox: z.boolean(),
})
export type PaymentSheetView = z.infer<typeof paymentSheetSchema>

export const SHEET_POLICIES = ['manual', 'confirm', 'cancel', 'fail'] as const
export type SheetPolicyName = (typeof SHEET_POLICIES)[number]

/** How the host answers sheets (`PUT /_sim/payment-sheet`); `manual` leaves them to the player. */
export const sheetPolicySchema = z.object({
  policy: z.enum(SHEET_POLICIES),
  errCode: z.number().int().optional(),
  delayMs: z.number().int().min(0).optional(),
})
export type SheetPolicy = z.infer<typeof sheetPolicySchema>

export const SHEET_ANSWERS = ['confirm', 'cancel'] as const
export type SheetAnswer = (typeof SHEET_ANSWERS)[number]

export const sheetOpenSchema = z.object({
  source: z.literal(CHANNEL_SOURCE),
  type: z.literal('SHEET_OPEN'),
  payload: z.object({
    /** The HOST_CALL this sheet belongs to. */
    callId: z.string(),
    sheet: paymentSheetSchema,
    /** 'player': the host waits for SHEET_ANSWER; 'policy': the host answers by itself. */
    answeredBy: z.enum(['player', 'policy']),
    policy: sheetPolicySchema,
  }),
})
export type SheetOpen = z.infer<typeof sheetOpenSchema>
export type SheetOpenPayload = SheetOpen['payload']

export const sheetAnswerSchema = z.object({
  source: z.literal(CHANNEL_SOURCE),
  type: z.literal('SHEET_ANSWER'),
  payload: z.object({ orderNo: z.string().min(1), answer: z.enum(SHEET_ANSWERS) }),
})
export type SheetAnswerMessage = z.infer<typeof sheetAnswerSchema>

/** The host could not understand a message; the payload says which and why. */
export const protocolErrorSchema = z.object({
  source: z.literal(CHANNEL_SOURCE),
  type: z.literal('PROTOCOL_ERROR'),
  payload: z.object({ message: z.string() }),
})
export type ProtocolError = z.infer<typeof protocolErrorSchema>

/** Everything the host sends a headless player, unpacked in one place by type. */
export const hostSocketMessageSchema = z.discriminatedUnion('type', [hostResultSchema, sheetOpenSchema, protocolErrorSchema])
export type HostSocketMessage = z.infer<typeof hostSocketMessageSchema>

/** Everything a headless player sends the host. */
export const playerSocketMessageSchema = z.discriminatedUnion('type', [hostCallSchema, sheetAnswerSchema])
export type PlayerSocketMessage = z.infer<typeof playerSocketMessageSchema>

export function sheetOpen(payload: SheetOpenPayload): SheetOpen {
  return { source: CHANNEL_SOURCE, type: 'SHEET_OPEN', payload }
}

export function sheetAnswer(orderNo: string, answer: SheetAnswer): SheetAnswerMessage {
  return { source: CHANNEL_SOURCE, type: 'SHEET_ANSWER', payload: { orderNo, answer } }
}

export function protocolError(message: string): ProtocolError {
  return { source: CHANNEL_SOURCE, type: 'PROTOCOL_ERROR', payload: { message } }
}
