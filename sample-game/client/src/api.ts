/**
 * Typed calls to the game's own server (relative URLs: the web build is served by it; the
 * mini game build's transport puts its address in front). Responses are
 * validated: the UI trusts only what the server said, so a malformed answer must fail
 * loudly here rather than show a wrong inventory.
 */
import { z } from 'zod'
import { errorMessage } from '@superapp-sim/game-sdk'
import { GameApiError } from '../../shared/errors'

const shopItemSchema = z.object({
  productId: z.string(),
  name: z.string(),
  /** USD cents. */
  price: z.number(),
  description: z.string(),
  color: z.string(),
  /** The item's image from the host's catalog; '' when the game draws the item itself. */
  imageUrl: z.string(),
  /** Whether the host had it on sale when the server last synced its catalog. */
  released: z.boolean(),
})
const shopSchema = z.object({ currency: z.string(), items: z.array(shopItemSchema) })
const loginSchema = z.object({ token: z.string(), openid: z.string() })
const orderSchema = z.object({ signData: z.string(), paySig: z.string(), signature: z.string(), outTradeNo: z.string() })
const inventorySchema = z.object({
  items: z.array(z.object({ productId: z.string(), name: z.string(), quantity: z.number() })),
  grants: z.array(z.object({ outTradeNo: z.string(), productId: z.string(), quantity: z.number(), grantedAt: z.string() })),
})
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) })

export type ShopItem = z.infer<typeof shopItemSchema>
export type Shop = z.infer<typeof shopSchema>
export type LoginResponse = z.infer<typeof loginSchema>
export type SignedOrderResponse = z.infer<typeof orderSchema>
export type Inventory = z.infer<typeof inventorySchema>
export type InventoryItem = Inventory['items'][number]

/** A failed call is a GameApiError: `status` 0 means the server could not be reached at all. */
export { GameApiError }

/** What one HTTP call gives back: the status and the body parsed as JSON (undefined when it is not JSON). */
export interface HttpAnswer {
  status: number
  data: unknown
}

/** How the game reaches its server: fetch in a web page, wx.request in a mini game package. */
export type HttpTransport = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body: string | undefined) => Promise<HttpAnswer>

/** The web build's transport: same-origin fetch. */
const fetchTransport: HttpTransport = async (method, url, headers, body) => {
  // no-store: inventory polling must never be answered from a cache.
  const response = await fetch(url, { method, headers, cache: 'no-store', body })
  return { status: response.status, data: await response.json().catch(() => undefined) }
}

let http: HttpTransport = fetchTransport

/** Sends the game's server calls through another transport (the mini game build's wx.request). */
export function useHttpTransport(transport: HttpTransport): void {
  http = transport
}

export function postLogin(code: string): Promise<LoginResponse> {
  return request('POST', '/api/login', loginSchema, { body: { code } })
}

export function getShop(): Promise<Shop> {
  return request('GET', '/api/shop', shopSchema)
}

export function postOrder(token: string, productId: string, quantity = 1): Promise<SignedOrderResponse> {
  return request('POST', '/api/orders', orderSchema, { token, body: { productId, quantity } })
}

export function getInventory(token: string): Promise<Inventory> {
  return request('GET', '/api/inventory', inventorySchema, { token })
}

async function request<S extends z.ZodType>(
  method: 'GET' | 'POST',
  url: string,
  schema: S,
  options: { token?: string; body?: unknown } = {},
): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token) headers.authorization = `Bearer ${options.token}`

  let answer: HttpAnswer
  try {
    answer = await http(method, url, headers, options.body === undefined ? undefined : JSON.stringify(options.body))
  } catch (error) {
    throw new GameApiError(0, 'NETWORK', `cannot reach the game server (${errorMessage(error)})`)
  }

  const { status, data } = answer
  if (status < 200 || status > 299) {
    const parsed = errorSchema.safeParse(data)
    if (parsed.success) throw new GameApiError(status, parsed.data.error.code, parsed.data.error.message)
    throw new GameApiError(status, `HTTP_${status}`, `${method} ${url} failed with HTTP ${status}`)
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) throw new GameApiError(status, 'BAD_RESPONSE', `unexpected answer from ${method} ${url}`)
  return parsed.data
}
