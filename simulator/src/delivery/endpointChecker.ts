import { buildDeliveryNotification, type DeliveryPayload } from '@superapp-sim/game-sdk'
import { signPayEventSig } from '@superapp-sim/game-sdk'
import { systemClock } from '../clock'
import { postNotification } from './deliveryEngine'

export interface EndpointCheckOptions {
  url: string
  appKey: string
  /** The notification to build the checks from: best a real order the receiver knows. */
  base: DeliveryPayload
  timeoutMs?: number
}

export interface EndpointCheckResult {
  check: string
  expected: 'success reply' | 'refusal'
  passed: boolean
  status?: number
  responseBody?: string
  detail: string
}

export interface EndpointCheckReport {
  url: string
  results: EndpointCheckResult[]
  passed: number
  failed: number
}

interface Probe {
  check: string
  expected: EndpointCheckResult['expected']
  body: string
  /** Why it matters when the receiver gets it wrong. */
  onFailure: string
}

/**
 * Runs the endpoint checker against a delivery URL: a valid notification, the same again,
 * and four that must be refused (bad PayEventSig, tampered Payload, malformed body, an
 * unknown product, validly signed). A receiver passes when it answers the SAS success reply
 * to the first two and a refusal (any reply that is not the success reply) to the others.
 */
export async function checkEndpoint(options: EndpointCheckOptions): Promise<EndpointCheckReport> {
  const valid = buildDeliveryNotification(options.appKey, options.base)
  const envelope = JSON.parse(valid) as { Payload: string; PayEventSig: string; Event: string }
  const wrongKeySig = signPayEventSig(`${options.appKey}-not-the-key`, envelope.Event, envelope.Payload)
  const tamperedPayload = JSON.stringify({
    ...options.base,
    GoodsInfo: { ...options.base.GoodsInfo, Quantity: options.base.GoodsInfo.Quantity * 100 },
  })
  const unknownProduct: DeliveryPayload = {
    ...options.base,
    OutTradeNo: `CHK${Date.now().toString(36).toUpperCase()}`,
    GoodsInfo: { ...options.base.GoodsInfo, ProductId: 'endpoint_checker_unknown_product' },
  }

  const probes: Probe[] = [
    { check: 'valid notification', expected: 'success reply', body: valid, onFailure: 'a correctly signed delivery was not acknowledged: the host would retry it for a day and a half. Does your server know this OutTradeNo and openid?' },
    { check: 'the same notification again (duplicate)', expected: 'success reply', body: valid, onFailure: 'delivery is at least once: a duplicate must get the same success reply (and grant nothing more)' },
    { check: 'bad PayEventSig', expected: 'refusal', body: JSON.stringify({ ...envelope, PayEventSig: wrongKeySig }), onFailure: 'a notification signed with another key was accepted: anyone can forge deliveries' },
    { check: 'tampered Payload (signature of the original)', expected: 'refusal', body: JSON.stringify({ ...envelope, Payload: tamperedPayload }), onFailure: 'a Payload changed after signing was accepted: verify PayEventSig over the exact Payload string' },
    { check: 'malformed body', expected: 'refusal', body: valid.slice(0, Math.floor(valid.length / 2)), onFailure: 'a body that is not JSON was acknowledged' },
    { check: 'unknown product (validly signed)', expected: 'refusal', body: buildDeliveryNotification(options.appKey, unknownProduct), onFailure: 'an order your server never created, for a product it does not sell, was acknowledged' },
  ]

  const results: EndpointCheckResult[] = []
  for (const probe of probes) {
    const attempt = await postNotification(systemClock, options.url, probe.body, options.timeoutMs)
    const answered = attempt.status !== undefined
    const passed = probe.expected === 'success reply' ? attempt.outcome === 'success' : answered && attempt.outcome === 'failure'
    results.push({
      check: probe.check,
      expected: probe.expected,
      passed,
      status: attempt.status,
      responseBody: attempt.responseBody,
      detail: passed ? 'ok' : !answered ? (attempt.error ?? 'no answer') : probe.onFailure,
    })
  }
  const passed = results.filter((r) => r.passed).length
  return { url: options.url, results, passed, failed: results.length - passed }
}

/** One line per check, for the CLI. */
export function formatCheckReport(report: EndpointCheckReport): string {
  const lines = report.results.map(
    (r) => `${r.passed ? 'PASS' : 'FAIL'}  ${r.check}: expected ${r.expected}, got ${r.status ? `HTTP ${r.status}` : 'no answer'}${r.passed ? '' : ` (${r.detail})`}`,
  )
  return [`Endpoint check of ${report.url}`, ...lines, `${report.passed} of ${report.results.length} checks passed`].join('\n')
}
