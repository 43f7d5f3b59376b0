/**
 * A typed client of one sandbox's test-control API (`{simulator}/sandbox/<name>/_sim/...`,
 * docs/decisions/006-qa-automation.md), as the scenario runner uses it. Only the calls and
 * fields the runner reads are typed.
 */

export interface SandboxInfo {
  sandbox: string
  fixture: string
  generation: number
}

export interface MiniGameConfig {
  appId: string
  appKey: string
  appSecret: string
  deliveryUrl: string
  testDeliveryUrl: string
}

export interface QaAttempt {
  at: string
  status?: number
  outcome: 'success' | 'failure'
  error?: string
  fault?: string
  manual?: boolean
}

export interface QaNotification {
  id: string
  kind: 'delivery' | 'refund' | 'test'
  state: 'pending' | 'delivered' | 'failed'
  attempts: QaAttempt[]
  nextAttemptAt?: string
}

/** What GET /_sim/orders gives per order (the fields the runner reads). */
export interface QaOrder {
  orderNo: string
  outTradeNo: string
  status: number
  statusName: string
  refundedAmount: number
  paidAt: string
  deliveredAt: string
  notifications: QaNotification[]
}

export interface SheetPolicyInput {
  playerId?: string
  policy: 'manual' | 'confirm' | 'cancel' | 'fail'
  errCode?: number
  delayMs?: number
}

/** The simulator answered a control call with an error (or not at all). */
export class SandboxControlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class SandboxControl {
  /** The sandbox's base URL: what a game server and a headless player are given. */
  readonly url: string

  constructor(
    simulatorUrl: string,
    readonly name: string,
  ) {
    this.url = `${simulatorUrl.replace(/\/+$/, '')}/sandbox/${name}`
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${this.url}/_sim${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      })
    } catch (error) {
      throw new SandboxControlError(`cannot reach the simulator for ${method} /_sim${path}: ${(error as Error).message}`)
    }
    const text = await response.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    if (!response.ok) {
      const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 300)
      throw new SandboxControlError(`${method} /_sim${path} answered HTTP ${response.status}: ${message}`, response.status)
    }
    return json as T
  }

  reset(fixture: string): Promise<SandboxInfo> {
    return this.call('POST', '/reset', { fixture })
  }

  info(): Promise<SandboxInfo> {
    return this.call('GET', '/sandbox')
  }

  async remove(): Promise<void> {
    await this.call('DELETE', '/sandbox')
  }

  clock(body: { advanceMs?: number; frozen?: boolean }): Promise<{ nowMs: number; frozen: boolean }> {
    return this.call('POST', '/clock', body)
  }

  setSheetPolicy(input: SheetPolicyInput): Promise<unknown> {
    return this.call('PUT', '/payment-sheet', input)
  }

  miniGame(appId: string): Promise<MiniGameConfig> {
    return this.call('GET', `/minigames/${encodeURIComponent(appId)}`)
  }

  configureDelivery(appId: string, url: string): Promise<unknown> {
    return this.call('PATCH', `/minigames/${encodeURIComponent(appId)}`, { deliveryUrl: url, testDeliveryUrl: url })
  }

  async order(appId: string, outTradeNo: string): Promise<QaOrder | undefined> {
    const query = new URLSearchParams({ appId, outTradeNo })
    const { orders } = await this.call<{ orders: QaOrder[] }>('GET', `/orders?${query}`)
    return orders[0]
  }

  setFaults(appId: string, faults: { kind: string; count: number; delayMs?: number }[]): Promise<unknown> {
    const path = `/minigames/${encodeURIComponent(appId)}/faults`
    return faults.length === 0 ? this.call('DELETE', path) : this.call('PUT', path, { faults })
  }

  /** A player's refund request, approved by the superapp at once. */
  triggerRefund(orderNo: string, reason?: string): Promise<{ refund: { refundNo: string; amount: number; status: string } }> {
    return this.call('POST', '/triggers/refund', { orderNo, ...(reason === undefined ? {} : { reason }) })
  }
}
