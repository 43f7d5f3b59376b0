/**
 * The console's client of /console/api/v1: the shapes it answers with, the session token,
 * and one `request` that turns every error into an ApiError carrying the server's message.
 * The shapes are written out here rather than imported from the server so the page bundle
 * stays independent of the server's modules; they mirror the API's JSON.
 */

export type Capability =
  | 'payment.request'
  | 'deliveryConfig.view'
  | 'deliveryConfig.configure'
  | 'deliveryConfig.requestCredentials'
  | 'exemption.view'
  | 'exemption.request'
  | 'exemption.revoke'
  | 'items.view'
  | 'items.downloadTemplate'
  | 'items.edit'
  | 'items.requestRelease'
  | 'items.remove'
  | 'orders.view'
  | 'orders.export'
  | 'afterSales.view'
  | 'afterSales.export'
  | 'approvals.view'
  | 'approvals.decide'

export interface Me {
  username: string
  role: string
  roleName: string
  email: string
  teamId: string | null
  teamName: string | null
  capabilities: string[]
}

export type PaymentPermission = 'none' | 'pending' | 'approved' | 'rejected'
export type ExemptionStatus = 'none' | 'pending' | 'approved' | 'rejected' | 'revoked'
export type ApprovalStatus = 'pending' | 'approved' | 'rejected'

export interface MiniGame {
  appId: string
  name: string
  teamId: string
  teamName: string
  paymentPermission: PaymentPermission
  merchantBound: boolean
  exemption: ExemptionStatus
  deliveryConfigured: boolean
}

export interface Approval {
  id: string
  kind: 'payment' | 'exemption'
  appId: string
  miniGameName: string
  teamName: string
  message: string
  status: ApprovalStatus
  requestedBy: string
  createdAt: string
  decidedBy?: string
  decidedAt?: string
  reason?: string
}

export interface CredentialsInfo {
  issuedAt: string
  appKeyHint: string
  publicKeyFingerprint: string
}

export interface DeliveryConfig {
  url: string
  testUrl: string
  notificationsEnabled: boolean
  credentials: CredentialsInfo | null
  warnings: string[]
}

export interface SavedDeliveryConfig extends DeliveryConfig {
  credentialsIssued: boolean
  mailedTo?: string
}

export interface TestPushResult {
  at?: string
  url: string
  outcome: 'success' | 'failure'
  status?: number
  responseBody?: string
  latencyMs: number
  error?: string
}

export interface Exemption {
  status: ExemptionStatus
  requests: Approval[]
}

export interface MailMessage {
  id: string
  /** Username of the recipient. */
  to: string
  toEmail?: string
  subject: string
  body: string
  createdAt: string
  attachments: { filename: string; contentType: string; content: string }[]
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

const BASE = '/console/api/v1'
// sessionStorage: the session ends with the tab, like the real console's, and two tabs can
// be signed in as two different roles (handy when playing both sides of an approval).
const TOKEN_KEY = 'superapp-console.token'

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
  login: (username: string, password: string) =>
    request<{ token: string; expiresAt: string; account: Me }>('POST', '/session', { username, password }),
  me: () => request<Me>('GET', '/me'),
  miniGames: () => request<{ miniGames: MiniGame[] }>('GET', '/minigames'),
  miniGame: (appId: string) => request<MiniGame>('GET', game(appId)),
  requestPayment: (appId: string, message: string) =>
    request<{ approval: Approval }>('POST', `${game(appId)}/payment/requests`, { message }),
  paymentRequests: (appId: string) => request<{ requests: Approval[] }>('GET', `${game(appId)}/payment/requests`),
  approvals: (status?: ApprovalStatus) =>
    request<{ approvals: Approval[] }>('GET', `/approvals${status ? `?status=${status}` : ''}`),
  approve: (id: string, reason?: string) =>
    request<{ approval: Approval }>('POST', `/approvals/${encodeURIComponent(id)}/approve`, reason ? { reason } : {}),
  reject: (id: string, reason: string) =>
    request<{ approval: Approval }>('POST', `/approvals/${encodeURIComponent(id)}/reject`, { reason }),
  deliveryConfig: (appId: string) => request<DeliveryConfig>('GET', `${game(appId)}/delivery-config`),
  saveDeliveryConfig: (appId: string, config: { url: string; testUrl: string; notificationsEnabled: boolean }) =>
    request<SavedDeliveryConfig>('PUT', `${game(appId)}/delivery-config`, config),
  resetCredentials: (appId: string) =>
    request<{ credentials: CredentialsInfo; mailedTo: string }>('POST', `${game(appId)}/delivery-config/credentials`, {}),
  testPush: (appId: string) => request<TestPushResult>('POST', `${game(appId)}/delivery-config/test-push`, {}),
  exemption: (appId: string) => request<Exemption>('GET', `${game(appId)}/exemption`),
  requestExemption: (appId: string, message: string) =>
    request<{ approval: Approval }>('POST', `${game(appId)}/exemption/requests`, { message }),
  revokeExemption: (appId: string, reason: string) =>
    request<{ status: 'revoked'; removedItems: number }>('POST', `${game(appId)}/exemption/revoke`, { reason }),
  mailbox: () => request<{ messages: MailMessage[] }>('GET', '/mailbox'),
}

/** The message to show for anything a call threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
