/**
 * The simulator's stored state. Money is integer minor units; times are ISO-8601 UTC.
 * Order status numbers are WeChat's (PROTOCOL.md section 3).
 */

export interface Superapp {
  name: string
  /** Currencies the superapp supports; signData.currencyType outside this list is -15006. */
  currencies: string[]
}

export interface Team {
  id: string
  name: string
  merchant: { mchId: string; name: string } | null
}

export type PaymentPermission = 'none' | 'pending' | 'approved' | 'rejected'

export interface DeliveryConfig {
  /** Production delivery URL. */
  url: string
  /** Sandbox orders (signData env 1) and test pushes go here. */
  testUrl: string
  /** "Enable notification" on the item page: nothing is sent while false. */
  enabled: boolean
}

export interface MiniGame {
  appId: string
  name: string
  teamId: string
  appSecret: string
  /** The key the host signs notifications with and checks paySig against. */
  appKey: string
  paymentPermission: PaymentPermission
  delivery: DeliveryConfig
  /** Where the host shell loads the game from. */
  gameUrl: string
}

export type ItemState = 'draft' | 'pending_release' | 'released' | 'removed'

export interface Item {
  appId: string
  productId: string
  name: string
  /** Minor units of the superapp's currency. */
  price: number
  imageUrl: string
  description?: string
  state: ItemState
}

export interface Player {
  id: string
  nickname: string
  avatarColor: string
}

export interface LoginCode {
  code: string
  appId: string
  playerId: string
  expiresAt: string
  used: boolean
}

export interface PlayerSession {
  appId: string
  playerId: string
  openid: string
  sessionKey: string
  /** Keys replaced by a later login: a signature made with one of them is -15015. */
  expiredSessionKeys: string[]
  updatedAt: string
}

export const OrderStatus = {
  INIT: 0,
  CREATED: 1,
  PAID: 2,
  DELIVERING: 3,
  DELIVERED: 4,
  REFUNDED: 5,
  CLOSED: 6,
  REFUND_FAILED: 7,
} as const
export type OrderStatusValue = (typeof OrderStatus)[keyof typeof OrderStatus]

export interface Order {
  /** The host's own order number. */
  orderNo: string
  appId: string
  playerId: string
  openid: string
  outTradeNo: string
  productId: string
  /** The item as it was when the order was created; later edits never change a paid order. */
  item: { name: string; price: number; imageUrl: string }
  quantity: number
  unitPrice: number
  totalPrice: number
  currency: string
  env: 0 | 1
  attach: string
  zoneId: string
  platform?: string
  /** signData exactly as the game passed it. */
  signData: string
  status: OrderStatusValue
  /** True when delivery gave up after the last retry. */
  deliveryFailed: boolean
  createdAt: string
  paidAt?: string
  deliveredAt?: string
  closedAt?: string
}

export interface DeliveryAttempt {
  at: string
  url: string
  status?: number
  responseBody?: string
  latencyMs: number
  outcome: 'success' | 'failure'
  error?: string
}

export interface OutboxNotification {
  id: string
  appId: string
  kind: 'delivery'
  orderNo: string
  outTradeNo: string
  /** Production or test URL, decided when the notification is created. */
  target: 'url' | 'testUrl'
  /** The exact JSON body sent on every attempt (the signature covers its Payload). */
  body: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: DeliveryAttempt[]
  nextAttemptAt?: string
  createdAt: string
}

export interface SimState {
  version: 1
  superapp: Superapp
  teams: Team[]
  miniGames: MiniGame[]
  items: Item[]
  players: Player[]
  loginCodes: LoginCode[]
  sessions: PlayerSession[]
  orders: Order[]
  outbox: OutboxNotification[]
  counters: { order: number; notification: number }
}

export function emptyState(): SimState {
  return {
    version: 1,
    superapp: { name: 'Superapp', currencies: [] },
    teams: [],
    miniGames: [],
    items: [],
    players: [],
    loginCodes: [],
    sessions: [],
    orders: [],
    outbox: [],
    counters: { order: 0, notification: 0 },
  }
}
