import { z } from 'zod'

/**
 * WeChat's outTradeNo rule (docs/protocol.md): at most 32 chars of [0-9A-Za-z_\-|*@], not
 * starting with "_". SAS says only "single use"; we hold games to the stricter rule so a
 * game that passes here passes on both hosts.
 */
export const OUT_TRADE_NO_PATTERN = /^(?!_)[0-9A-Za-z_\-|*@]{1,32}$/

/** ISO 4217 style: three upper-case letters. Whether the superapp supports it is the host's check. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/

/**
 * The fields of `signData` (the JSON string a game passes to requestMidasPaymentGameItem).
 * Unknown fields are kept: the host passes the string through byte for byte.
 */
export const signDataSchema = z
  .object({
    mode: z.literal('goods'),
    buyQuantity: z.number().int().min(1).max(10_000),
    currencyType: z.string().regex(CURRENCY_PATTERN, 'must be a 3-letter currency code such as "USD"'),
    platform: z.enum(['android', 'ios']).optional(),
    productId: z.string().min(1).max(64),
    goodsPrice: z.number().int().positive(),
    outTradeNo: z
      .string()
      .regex(OUT_TRADE_NO_PATTERN, 'at most 32 chars of [0-9A-Za-z_-|*@], not starting with "_"'),
    attach: z.string().max(1024).optional(),
    // WeChat-only fields, accepted as the protocol asks.
    offerId: z.string().optional(),
    env: z.union([z.literal(0), z.literal(1)]).optional(),
    zoneId: z.string().optional(),
  })
  .loose()

export type SignData = z.infer<typeof signDataSchema>

/** The fields a caller passes to build signData; `mode` defaults to "goods". */
export type SignDataInput = Omit<SignData, 'mode'> & { mode?: 'goods' }

/**
 * Serialises signData in a fixed key order. The host checks signatures over the exact
 * string, so the game server must sign the same string it hands to the client.
 */
export function serializeSignData(input: SignDataInput): string {
  const { mode = 'goods', buyQuantity, currencyType, platform, productId, goodsPrice, outTradeNo, attach, ...rest } =
    input
  const ordered: Record<string, unknown> = { mode, buyQuantity, currencyType }
  if (platform !== undefined) ordered.platform = platform
  ordered.productId = productId
  ordered.goodsPrice = goodsPrice
  ordered.outTradeNo = outTradeNo
  if (attach !== undefined) ordered.attach = attach
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) ordered[key] = value
  return JSON.stringify(ordered)
}
