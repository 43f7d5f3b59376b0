/**
 * Cells the order and refund tables share (Order record, its details, After-sales record,
 * the refund queue of Approvals), so a refund reads the same wherever it is listed.
 */
import { html, nothing, type TemplateResult } from 'lit-html'
import type { OrderRefund, RefundStatus } from '../api'
import { formatTime } from '../context'

const REFUND_STATUS_LABEL: Record<RefundStatus, string> = { pending_approval: 'pending approval', succeeded: 'succeeded', rejected: 'rejected' }

const refundStatusLabel = (status: RefundStatus): string => REFUND_STATUS_LABEL[status] ?? status

/** The superapp's order number over the game's own outTradeNo, which is what the developer looks up. */
export const orderNumbers = (row: { orderNo: string; outTradeNo: string }): TemplateResult =>
  html`<code>${row.orderNo}</code><div class="hint"><code>${row.outTradeNo}</code></div>`

/**
 * The test player as a person reads it, "Alex", with the id the API and the filters take
 * beside it; the id alone for a player the fixture no longer names.
 */
export const playerCell = (row: { playerId: string; playerName: string }): TemplateResult =>
  row.playerName ? html`${row.playerName} <span class="muted">(<code>${row.playerId}</code>)</span>` : html`<code>${row.playerId}</code>`

/** The refund number, and the game's refund_order_id when it gave one of its own. */
export const refundNumber = (refund: Pick<OrderRefund, 'refundNo' | 'refundOrderId'>): TemplateResult =>
  html`<code>${refund.refundNo}</code>${refund.refundOrderId !== refund.refundNo
      ? html`<div class="hint">refund_order_id <code>${refund.refundOrderId}</code></div>`
      : nothing}`

export interface RefundStatusOptions {
  badgeTestId?: string
  /** The record pages show seconds (formatTime); the approval queue, like its requests, does not. */
  formatWhen?: (iso: string | undefined) => string
}

/** The status badge, who decided and when, and the reason a rejection gave. */
export function refundStatus(
  refund: Pick<OrderRefund, 'status' | 'decidedBy' | 'decidedAt' | 'rejectReason'>,
  { badgeTestId, formatWhen = formatTime }: RefundStatusOptions = {},
): TemplateResult {
  return html`<span class="badge refund-${refund.status}" data-testid=${badgeTestId ?? nothing}>${refundStatusLabel(refund.status)}</span>
    ${refund.decidedBy ? html`<div class="hint">by ${refund.decidedBy}, ${formatWhen(refund.decidedAt)}</div>` : nothing}
    ${refund.rejectReason ? html`<div class="hint">Reason: ${refund.rejectReason}</div>` : nothing}`
}

/**
 * The tag of a notification attempt whose kept-alive connection failed before any reply, so
 * the request went out again on a new connection within the attempt.
 */
export const resentTag = (attempt: { resentAfter?: string }, testId?: string): TemplateResult | typeof nothing =>
  attempt.resentAfter
    ? html`<span
        class="tag"
        data-testid=${testId ?? nothing}
        title="The kept-alive connection failed before any reply (${attempt.resentAfter}), so the request went out again on a new connection: the game server may have received it twice"
        >sent twice</span
      >`
    : nothing
