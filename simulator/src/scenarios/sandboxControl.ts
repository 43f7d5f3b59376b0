/**
 * A typed client of one sandbox's test-control API (`{simulator}/sandbox/<name>/_sim/...`,
 * docs/decisions/006-qa-automation.md), shared by the scenario runner and the
 * `superapp-sim` control commands (cliControl.ts), so the URL of a sandbox is built, and a
 * reply parsed, in one place (jsonClient.ts). Only the fields its callers read are typed.
 */
import type { SheetPolicyName } from '@superapp-sim/game-sdk'
import { SimulatorError } from '../errors'
import { SANDBOX_NAME, SANDBOX_NAME_RULE } from '../sandbox/names'
import { requestJson, simulatorService, type JsonService } from './jsonClient'
import type { QaOrder } from '../control/qaOrder'

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

// The server's own shape of GET /_sim/orders, imported as a type (erased at run time).
export type { QaOrder }

export interface SheetPolicyInput {
  playerId?: string
  policy: SheetPolicyName
  errCode?: number
  delayMs?: number
}

export interface ClockChange {
  advanceMs?: number
  /** ISO time to move forward to. */
  set?: string
  frozen?: boolean
}

export interface EventPage {
  events: { seq: number; type: string }[]
  cursor: number
}

export class SandboxControl {
  /** The sandbox's base URL: what a game server and a headless player are given. */
  readonly url: string
  private readonly service: JsonService

  /**
   * @param name the sandbox; undefined: the simulator's default one, addressed without a prefix.
   * @throws SimulatorError USAGE when the simulator URL or the sandbox name is not valid.
   * @example
   * const control = new SandboxControl('http://127.0.0.1:7070', 'worker-1')
   * await control.reset('demo')
   */
  constructor(
    simulatorUrl: string,
    readonly name?: string,
  ) {
    const root = simulatorUrl.replace(/\/+$/, '')
    if (!/^https?:\/\//.test(root) || !URL.canParse(root)) throw new SimulatorError('USAGE', `the simulator URL must be an http(s) URL such as http://127.0.0.1:7070, got "${simulatorUrl}"`)
    if (name !== undefined && !SANDBOX_NAME.test(name)) throw new SimulatorError('USAGE', `sandbox ${SANDBOX_NAME_RULE}: "${name}"`)
    this.url = name === undefined ? root : `${root}/sandbox/${name}`
    this.service = simulatorService(root)
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>({ ...this.service, baseUrl: this.url }, method, `/_sim${path}`, body)
  }

  reset(fixture: string): Promise<SandboxInfo> {
    return this.call('POST', '/reset', { fixture })
  }

  info(): Promise<SandboxInfo> {
    return this.call('GET', '/sandbox')
  }

  /** Every sandbox of the simulator (whichever sandbox this client addresses). */
  sandboxes(): Promise<{ sandboxes: { sandbox: string }[] }> {
    return this.call('GET', '/sandboxes')
  }

  async remove(): Promise<void> {
    await this.call('DELETE', '/sandbox')
  }

  /** Loads a fixture document under a name (shared by all sandboxes). */
  putFixture(name: string, document: unknown): Promise<unknown> {
    return this.call('PUT', `/fixtures/${encodeURIComponent(name)}`, document)
  }

  clockNow(): Promise<{ now: string; nowMs: number; frozen: boolean }> {
    return this.call('GET', '/clock')
  }

  clock(change: ClockChange): Promise<{ now: string; nowMs: number; frozen: boolean }> {
    return this.call('POST', '/clock', change)
  }

  sheetPolicies(): Promise<unknown> {
    return this.call('GET', '/payment-sheet')
  }

  setSheetPolicy(input: SheetPolicyInput): Promise<unknown> {
    return this.call('PUT', '/payment-sheet', input)
  }

  /** Every sheet back to manual. */
  clearSheetPolicies(): Promise<unknown> {
    return this.call('DELETE', '/payment-sheet')
  }

  events(query: { after: number; limit?: number; type?: string }): Promise<EventPage> {
    const params = new URLSearchParams({ after: String(query.after), limit: String(query.limit ?? 1000), type: query.type ?? '' })
    return this.call('GET', `/events?${params}`)
  }

  /** The WebSocket URL of the sandbox's event stream: the backlog after `after`, then live. */
  eventStreamUrl(after: number): string {
    return `${this.url.replace(/^http/, 'ws')}/_sim/events/stream?after=${after}`
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

  triggerTestPush(appId: string): Promise<unknown> {
    return this.call('POST', '/triggers/test-push', { appId })
  }

  triggerResend(notificationId: string): Promise<unknown> {
    return this.call('POST', '/triggers/resend', { notificationId })
  }
}
