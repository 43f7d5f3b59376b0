/**
 * The console's client of /console/api/v1: the shapes it answers with, the session token,
 * and one `request` that turns every error into an ApiError carrying the server's message.
 * Shapes the server defines are imported as types only (erased at build time, so no server
 * code reaches the bundle): one definition of each, which the compiler keeps in step.
 */

import type { z } from 'zod'
import type { Capability } from '../permissions'
import type { BodyOf, ResponseOf } from '../../http/routeDefinition'
import type { APPROVAL_ROUTES } from '../approvalRoutes'
import type { DELIVERY_CONFIG_ROUTES } from '../deliveryConfigRoutes'
import type { EXEMPTION_ROUTES } from '../exemptionRoutes'
import type { MAILBOX_ROUTES } from '../mailboxRoutes'
import type { MINI_GAME_ROUTES } from '../miniGameRoutes'
import type { NOTIFICATION_ROUTES } from '../notificationRoutes'
import type { ORDER_ROUTES } from '../orderRoutes'
import type { REQUEST_DOMAIN_ROUTES } from '../requestDomainRoutes'
import type { SESSION_ROUTES } from '../sessionRoutes'
import type { ITEM_ROUTES } from '../../catalog/itemRoutes'
import type { itemsQuery } from '../../catalog/schemas'
import type { notificationsQuery, ordersQuery, refundsQuery } from '../schemas'
import type { SimEvent } from '../../events/eventBus'
import { sandboxBaseOf } from '../../sandbox/names'
import { CONSOLE_API_BASE } from '../apiBase'
import { ORDER_STATUS_NAMES } from '../../store/orderStatus'
import type { ApprovalStatus, ItemState, NotificationKind, RefundStatus } from '../../store/model'

// The shapes the API answers and takes, from its route definitions (type-only imports, so
// no server code reaches the bundle): one definition of each, which the compiler keeps in step.

export type { ApprovalStatus, Capability, ItemState, NotificationKind, RefundStatus }
export type Me = ResponseOf<typeof SESSION_ROUTES.me>
export type MiniGame = ResponseOf<typeof MINI_GAME_ROUTES.one>
export type Approval = ResponseOf<typeof APPROVAL_ROUTES.approve>['approval']
export type DeliveryConfig = ResponseOf<typeof DELIVERY_CONFIG_ROUTES.view>
type SavedDeliveryConfig = ResponseOf<typeof DELIVERY_CONFIG_ROUTES.save>
type DeliveryConfigChange = BodyOf<typeof DELIVERY_CONFIG_ROUTES.save>
/** The test push's one attempt: what the endpoint answered. */
export type TestPushResult = ResponseOf<typeof DELIVERY_CONFIG_ROUTES.testPush>
export type EndpointCheckReport = ResponseOf<typeof DELIVERY_CONFIG_ROUTES.checkEndpoint>
export type EndpointCheck = EndpointCheckReport['results'][number]
export type Exemption = ResponseOf<typeof EXEMPTION_ROUTES.view>
export type MailMessage = ResponseOf<typeof MAILBOX_ROUTES.list>['messages'][number]
/** A row of the outbox: one notification and where its delivery stands. */
export type NotificationSummary = ResponseOf<typeof NOTIFICATION_ROUTES.list>['notifications'][number]
export type NotificationDetail = ResponseOf<typeof NOTIFICATION_ROUTES.one>
export type NotificationState = NotificationSummary['state']
/** One POST of a notification to the game's server, as the delivery engine recorded it. */
export type NotificationAttempt = NotificationDetail['attempts'][number]
export type NotificationFilter = z.input<typeof notificationsQuery>
/** The `delivery.attempt` event of /host/events: an attempt just finished. */
export type DeliveryAttemptEvent = Extract<SimEvent, { type: 'delivery.attempt' }>
/** A mini game's request domains, as the route definition answers them. */
export type RequestDomainsView = ResponseOf<typeof REQUEST_DOMAIN_ROUTES.view>
type RequestDomainsChange = BodyOf<typeof REQUEST_DOMAIN_ROUTES.update>

/**
 * A console API call that failed, as the browser received it. Kept beside SimulatorError
 * (the package's error class): it carries the HTTP status as answered (0 and codes the
 * server's union does not list included), while SimulatorError derives its status from its
 * code and belongs to the server side, which browser code does not import.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** '' or '/sandbox/<name>': the console works in any sandbox, calling the API beside the page. */
const sandboxBase = sandboxBaseOf(location.pathname, 'console')
const BASE = `${sandboxBase}${CONSOLE_API_BASE}`
// sessionStorage: the session ends with the tab, like the real console's, and two tabs can
// be signed in as two different roles (handy when playing both sides of an approval). One
// token per sandbox: each sandbox has its own accounts and signing secret.
const TOKEN_KEY = `superapp-console.token${sandboxBase}`

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY)
  },
  set(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token)
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY)
  },
}

/** Called on any 401 but the login's own: the token is gone or expired. */
let onUnauthorized: () => void = () => {}
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  const token = session.token
  if (token) headers.authorization = `Bearer ${token}`
  let response: Response
  try {
    response = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, 'NETWORK', 'The simulator does not answer. Is it running?')
  }
  const json = (await response.json().catch(() => ({}))) as T & { error?: { code?: string; message?: string } }
  if (!response.ok) {
    const code = json.error?.code ?? `HTTP_${response.status}`
    const message = json.error?.message ?? `${response.status} ${response.statusText}`
    if (response.status === 401 && path !== '/session') {
      session.clear()
      onUnauthorized()
    }
    throw new ApiError(response.status, code, message)
  }
  return json
}

const game = (appId: string) => `/minigames/${encodeURIComponent(appId)}`

/** One function per route, so pages read as what they do. */
export const api = {
  login: (username: string, password: string) => request<ResponseOf<typeof SESSION_ROUTES.logIn>>('POST', '/session', { username, password } satisfies BodyOf<typeof SESSION_ROUTES.logIn>),
  /** Revokes this session's token on the server (it is refused from now on, even if copied). */
  logout: () => request<void>('DELETE', '/session'),
  me: () => request<Me>('GET', '/me'),
  miniGames: () => request<ResponseOf<typeof MINI_GAME_ROUTES.list>>('GET', '/minigames'),
  miniGame: (appId: string) => request<MiniGame>('GET', game(appId)),
  requestPayment: (appId: string, message: string) =>
    request<ResponseOf<typeof MINI_GAME_ROUTES.requestPayment>>('POST', `${game(appId)}/payment/requests`, { message } satisfies BodyOf<typeof MINI_GAME_ROUTES.requestPayment>),
  paymentRequests: (appId: string) => request<ResponseOf<typeof MINI_GAME_ROUTES.paymentRequests>>('GET', `${game(appId)}/payment/requests`),
  approvals: (status?: ApprovalStatus) => request<ResponseOf<typeof APPROVAL_ROUTES.list>>('GET', `/approvals${status ? `?status=${status}` : ''}`),
  approve: (id: string, reason?: string) =>
    request<ResponseOf<typeof APPROVAL_ROUTES.approve>>('POST', `/approvals/${encodeURIComponent(id)}/approve`, (reason ? { reason } : {}) satisfies BodyOf<typeof APPROVAL_ROUTES.approve>),
  reject: (id: string, reason: string) =>
    request<ResponseOf<typeof APPROVAL_ROUTES.reject>>('POST', `/approvals/${encodeURIComponent(id)}/reject`, { reason } satisfies BodyOf<typeof APPROVAL_ROUTES.reject>),
  deliveryConfig: (appId: string) => request<DeliveryConfig>('GET', `${game(appId)}/delivery-config`),
  saveDeliveryConfig: (appId: string, config: DeliveryConfigChange) => request<SavedDeliveryConfig>('PUT', `${game(appId)}/delivery-config`, config),
  /** The item page's "enable notification" switch: only notificationsEnabled changes. */
  switchNotifications: (appId: string, enabled: boolean) =>
    request<ResponseOf<typeof DELIVERY_CONFIG_ROUTES.switchNotifications>>('PUT', `${game(appId)}/delivery-config/notifications`, { enabled } satisfies BodyOf<typeof DELIVERY_CONFIG_ROUTES.switchNotifications>),
  resetCredentials: (appId: string) => request<ResponseOf<typeof DELIVERY_CONFIG_ROUTES.reissueCredentials>>('POST', `${game(appId)}/delivery-config/credentials`, {}),
  testPush: (appId: string) => request<TestPushResult>('POST', `${game(appId)}/delivery-config/test-push`, {}),
  requestDomains: (appId: string) => request<RequestDomainsView>('GET', `${game(appId)}/request-domains`),
  saveRequestDomains: (appId: string, change: RequestDomainsChange) => request<RequestDomainsView>('PUT', `${game(appId)}/request-domains`, change),
  exemption: (appId: string) => request<Exemption>('GET', `${game(appId)}/exemption`),
  requestExemption: (appId: string, message: string) =>
    request<ResponseOf<typeof EXEMPTION_ROUTES.request>>('POST', `${game(appId)}/exemption/requests`, { message } satisfies BodyOf<typeof EXEMPTION_ROUTES.request>),
  revokeExemption: (appId: string, reason: string) =>
    request<ResponseOf<typeof EXEMPTION_ROUTES.revoke>>('POST', `${game(appId)}/exemption/revoke`, { reason } satisfies BodyOf<typeof EXEMPTION_ROUTES.revoke>),
  mailbox: () => request<ResponseOf<typeof MAILBOX_ROUTES.list>>('GET', '/mailbox'),
  notifications: (appId: string, filter: NotificationFilter = {}) => {
    const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString()
    return request<ResponseOf<typeof NOTIFICATION_ROUTES.list>>('GET', `${game(appId)}/notifications${query ? `?${query}` : ''}`)
  },
  notification: (appId: string, id: string) => request<NotificationDetail>('GET', `${game(appId)}/notifications/${encodeURIComponent(id)}`),
  resendNotification: (appId: string, id: string) =>
    request<ResponseOf<typeof NOTIFICATION_ROUTES.resend>>('POST', `${game(appId)}/notifications/${encodeURIComponent(id)}/resend`, {}),
  /** Without orderNo the checks start from the latest delivered order's notification (a mock one if there is none). */
  checkEndpoint: (appId: string, orderNo?: string) =>
    request<EndpointCheckReport>('POST', `${game(appId)}/delivery-config/check-endpoint`, (orderNo ? { orderNo } : {}) satisfies BodyOf<typeof DELIVERY_CONFIG_ROUTES.checkEndpoint>),
}

const RECONNECT_MS = 2000

/**
 * Follows the simulator's event stream (the host shell's WebSocket, /host/events) for one
 * mini game and hands over its delivery attempts. It reconnects 2 s after any close, since
 * the simulator may restart under the page, until the returned function is called. The
 * stream carries no secrets and needs no token: it is the same one the host shell reads.
 */
export function watchDeliveryAttempts(
  appId: string,
  handlers: { attempt(event: DeliveryAttemptEvent): void; connected(live: boolean): void },
): () => void {
  let socket: WebSocket | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    socket = new WebSocket(`${scheme}://${location.host}${sandboxBase}/host/events?appId=${encodeURIComponent(appId)}`)
    socket.addEventListener('open', () => handlers.connected(true))
    socket.addEventListener('message', (message) => {
      let event: { type?: string } | undefined
      try {
        event = JSON.parse(String(message.data)) as { type?: string }
      } catch {
        return // Not ours to judge: skip anything that is not JSON.
      }
      if (event?.type === 'delivery.attempt') handlers.attempt(event as DeliveryAttemptEvent)
    })
    socket.addEventListener('close', () => {
      if (stopped) return
      handlers.connected(false)
      retry = setTimeout(connect, RECONNECT_MS)
    })
  }
  connect()
  return () => {
    stopped = true
    clearTimeout(retry)
    socket?.close()
  }
}

/** The message to show for anything a call threw: game-sdk's one helper, re-exported for the pages. */
export { errorMessage } from '@superapp-sim/game-sdk'


// Virtual item management (issue 4). Its calls send binary bodies (an .xlsx, an image) and
// download files, so they go through `itemRequest` rather than the JSON-only `request`.

export type ItemPage = ResponseOf<typeof ITEM_ROUTES.list>
/** An item as the list shows it: its working copy, the `released` version players buy (null when not on sale) and what differs. */
export type VirtualItem = ItemPage['items'][number]
/** What the team edits: one version of an item. */
type ItemVersion = Pick<VirtualItem, 'name' | 'price' | 'imageUrl' | 'description'>
export type ImportReport = ResponseOf<typeof ITEM_ROUTES.import>['report']
/** The list's filters and page, as the query takes them. */
export type ItemFilter = Partial<z.output<typeof itemsQuery>>

/** A refused import: nothing was imported; the report names the rows and columns to fix. */
export class ImportRefused extends ApiError {
  constructor(
    message: string,
    readonly report: ImportReport,
  ) {
    super(400, 'VALIDATION_FAILED', message)
  }
}

export interface DownloadedFile {
  blob: Blob
  fileName: string
}

type ItemRequestOptions = { json?: unknown; body?: Blob; contentType?: string; download?: boolean }

async function itemRequest<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: ItemRequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {}
  const token = session.token
  if (token) headers.authorization = `Bearer ${token}`
  if (options.json !== undefined) headers['content-type'] = 'application/json'
  if (options.contentType) headers['content-type'] = options.contentType
  let response: Response
  try {
    response = await fetch(`${BASE}${path}`, { method, headers, body: options.json !== undefined ? JSON.stringify(options.json) : options.body })
  } catch {
    throw new ApiError(0, 'NETWORK', 'The simulator does not answer. Is it running?')
  }
  if (response.ok && options.download) {
    const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'download'
    return { blob: await response.blob(), fileName } as T
  }
  const json = (await response.json().catch(() => ({}))) as T & { error?: { code?: string; message?: string }; report?: ImportReport }
  if (!response.ok) {
    if (response.status === 401) {
      session.clear()
      onUnauthorized()
    }
    const message = json.error?.message ?? `${response.status} ${response.statusText}`
    if (json.report) throw new ImportRefused(message, json.report)
    throw new ApiError(response.status, json.error?.code ?? `HTTP_${response.status}`, message)
  }
  return json
}

const itemsOf = (appId: string) => `/minigames/${encodeURIComponent(appId)}/items`
const itemPath = (appId: string, productId: string) => `${itemsOf(appId)}/${encodeURIComponent(productId)}`
const queryOf = (params: Record<string, string | number | undefined>) => {
  const query = new URLSearchParams(Object.entries(params).flatMap(([key, value]) => (value === undefined || value === '' ? [] : [[key, String(value)]]))).toString()
  return query ? `?${query}` : ''
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export const itemsApi = {
  list: (appId: string, filter: ItemFilter = {}) => itemRequest<ItemPage>('GET', `${itemsOf(appId)}${queryOf({ ...filter })}`),
  add: (appId: string, item: ItemVersion & { productId: string }) => itemRequest<ResponseOf<typeof ITEM_ROUTES.add>>('POST', itemsOf(appId), { json: item satisfies BodyOf<typeof ITEM_ROUTES.add> }),
  edit: (appId: string, productId: string, changes: BodyOf<typeof ITEM_ROUTES.edit>) => itemRequest<ResponseOf<typeof ITEM_ROUTES.edit>>('PATCH', itemPath(appId, productId), { json: changes }),
  delete: (appId: string, productId: string) => itemRequest<ResponseOf<typeof ITEM_ROUTES.delete>>('DELETE', itemPath(appId, productId)),
  /** Stores an image for the add or edit that follows (checked, nothing else changes); answers its imageUrl. */
  uploadImage: (appId: string, file: Blob) =>
    itemRequest<ResponseOf<typeof ITEM_ROUTES.uploadImage>>('POST', `/minigames/${encodeURIComponent(appId)}/images`, { body: file, contentType: file.type }),
  template: (appId: string) => itemRequest<DownloadedFile>('GET', `${itemsOf(appId)}/template`, { download: true }),
  export: (appId: string, format: 'xlsx' | 'csv', filter: Pick<ItemFilter, 'state' | 'q'> = {}) =>
    itemRequest<DownloadedFile>('GET', `${itemsOf(appId)}/export${queryOf({ format, ...filter })}`, { download: true }),
  import: (appId: string, file: Blob, options: { validRowsOnly: boolean; updateExisting: boolean }) =>
    itemRequest<ResponseOf<typeof ITEM_ROUTES.import>>(
      'POST',
      `${itemsOf(appId)}/import${queryOf({ mode: options.validRowsOnly ? 'validRowsOnly' : undefined, existing: options.updateExisting ? 'update' : undefined })}`,
      // The export's CSV imports back too; anything else is sent as an .xlsx and the server says what it is not.
      { body: file, contentType: file instanceof File && /\.csv$/i.test(file.name) ? 'text/csv' : XLSX_TYPE },
    ),
  release: (appId: string, productIds: string[]) =>
    itemRequest<ResponseOf<typeof ITEM_ROUTES.release>>('POST', `${itemsOf(appId)}/release`, { json: { productIds } satisfies BodyOf<typeof ITEM_ROUTES.release> }),
  removeFromSale: (appId: string, productIds: string[]) => itemRequest<ResponseOf<typeof ITEM_ROUTES.remove>>('POST', `${itemsOf(appId)}/remove`, { json: { productIds } satisfies BodyOf<typeof ITEM_ROUTES.remove> }),
}

// Order record, after-sales record and the superapp's refund queue (issue 6). Money is in
// minor units throughout; exports are downloads, so these go through `itemRequest` too.

/** docs/protocol.md's order status list, by number: the server's own table. */
export const ORDER_STATUSES: readonly { value: number; name: string }[] = Object.entries(ORDER_STATUS_NAMES).map(([value, name]) => ({ value: Number(value), name }))

export type OrderRow = ResponseOf<typeof ORDER_ROUTES.list>['orders'][number]
/** One order with its item snapshot, notifications (and their attempts) and refunds. */
export type OrderDetail = ResponseOf<typeof ORDER_ROUTES.one>
/** A refund as the order's detail carries it: the stored record. */
export type OrderRefund = OrderDetail['refunds'][number]
export type RefundRow = ResponseOf<typeof ORDER_ROUTES.refunds>['refunds'][number]
/** The order record's filters, as the query takes them (dates YYYY-MM-DD, both ends included; `q` a part of the order number or outTradeNo). */
export type OrderFilter = Omit<Partial<z.output<typeof ordersQuery>>, 'page' | 'pageSize'>
/** The after-sales record's filters (`q` a part of the order number, refund number, outTradeNo or refund_order_id). */
export type RefundFilter = z.input<typeof refundsQuery>

const ordersOf = (appId: string) => `/minigames/${encodeURIComponent(appId)}/orders`
const refundsOf = (appId: string) => `/minigames/${encodeURIComponent(appId)}/refunds`

export const ordersApi = {
  list: (appId: string, filter: OrderFilter & { page?: number; pageSize?: number } = {}) =>
    itemRequest<ResponseOf<typeof ORDER_ROUTES.list>>('GET', `${ordersOf(appId)}${queryOf({ ...filter })}`),
  detail: (appId: string, orderNo: string) => itemRequest<OrderDetail>('GET', `${ordersOf(appId)}/${encodeURIComponent(orderNo)}`),
  export: (appId: string, format: 'csv' | 'xlsx', filter: OrderFilter = {}) =>
    itemRequest<DownloadedFile>('GET', `${ordersOf(appId)}/export${queryOf({ format, ...filter })}`, { download: true }),
  /** Without dates the server uses its default range (the last 7 days) and answers with it. */
  refunds: (appId: string, filter: RefundFilter = {}) =>
    itemRequest<ResponseOf<typeof ORDER_ROUTES.refunds>>('GET', `${refundsOf(appId)}${queryOf({ ...filter })}`),
  exportRefunds: (appId: string, format: 'csv' | 'xlsx', filter: RefundFilter = {}) =>
    itemRequest<DownloadedFile>('GET', `${refundsOf(appId)}/export${queryOf({ format, ...filter })}`, { download: true }),
  /** The players' refund requests waiting for the superapp, in every mini game. */
  pendingRefunds: () => itemRequest<ResponseOf<typeof ORDER_ROUTES.pendingRefunds>>('GET', '/refunds/pending'),
  approveRefund: (refundNo: string) => itemRequest<ResponseOf<typeof ORDER_ROUTES.approveRefund>>('POST', `/refunds/${encodeURIComponent(refundNo)}/approve`, { json: {} }),
  rejectRefund: (refundNo: string, reason: string) =>
    itemRequest<ResponseOf<typeof ORDER_ROUTES.rejectRefund>>('POST', `/refunds/${encodeURIComponent(refundNo)}/reject`, { json: { reason } satisfies BodyOf<typeof ORDER_ROUTES.rejectRefund> }),
}

/** Hands a downloaded file to the browser: an <a download> on an object URL, since the token is no cookie. */
export function saveFile({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // Late enough for the browser to have started the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
