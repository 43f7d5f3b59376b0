/**
 * The superapp's approvals: the teams' requests for virtual payment and for the no-review
 * permission, and the players' refund requests. Approve at once; reject with a reason the
 * team (or the player) sees.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, ordersApi, type Approval, type ApprovalStatus, type RefundRow } from '../api'
import type { Ctx, Page } from '../context'
import { formatDate, formatMoney } from '../context'
import { refundStatusLabel } from './afterSales'

type Filter = ApprovalStatus | 'all'
const FILTERS: Filter[] = ['pending', 'approved', 'rejected', 'all']
const KIND_LABEL: Record<Approval['kind'], string> = { payment: 'Virtual payment', exemption: 'No-review permission', itemRelease: 'Item release' }

export function approvalsPage(ctx: Ctx): Page {
  const fromRoute = ctx.route.params.get('status') as Filter | null
  let filter: Filter = fromRoute && FILTERS.includes(fromRoute) ? fromRoute : 'pending'
  let approvals: Approval[] | undefined
  let loadError = ''
  let actionError = ''
  let notice = ''
  let busyId = ''
  let rejecting: { id: string; reason: string } | undefined

  async function load(): Promise<void> {
    const wanted = filter
    try {
      const result = (await api.approvals(wanted === 'all' ? undefined : wanted)).approvals
      if (wanted !== filter) return // A newer tab was chosen meanwhile.
      approvals = result
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
  }

  async function decide(approval: Approval, decision: 'approve' | 'reject', reason?: string): Promise<void> {
    if (busyId) return
    busyId = approval.id
    actionError = ''
    notice = ''
    ctx.update()
    try {
      const { approval: decided } =
        decision === 'approve' ? await api.approve(approval.id) : await api.reject(approval.id, reason ?? '')
      rejecting = undefined
      notice = `${decided.status === 'approved' ? 'Approved' : 'Rejected'}: ${KIND_LABEL[decided.kind]} for ${decided.miniGameName}.`
      // Keep the decided row visible with its new status until the next reload.
      approvals = approvals?.map((a) => (a.id === decided.id ? decided : a))
    } catch (error) {
      actionError = errorMessage(error)
    }
    busyId = ''
    ctx.update()
  }

  function row(a: Approval) {
    const canDecide = ctx.can('approvals.decide') && a.status === 'pending'
    const isRejecting = rejecting?.id === a.id
    return html`<tr data-testid="approval-row-${a.id}">
        <td>${KIND_LABEL[a.kind] ?? a.kind}</td>
        <td><strong>${a.miniGameName}</strong><br /><code class="muted">${a.appId}</code></td>
        <td>${a.teamName}</td>
        <td class="message">
          ${a.message || html`<span class="muted">(no message)</span>`}
          ${a.productIds?.length ? html`<div class="hint" data-testid="approval-items-${a.id}">Items: ${a.productIds.join(', ')}</div>` : nothing}
        </td>
        <td>${a.requestedBy}</td>
        <td>${formatDate(a.createdAt)}</td>
        <td>
          <span class="badge ${a.status}" data-testid="approval-status-${a.id}">${a.status}</span>
          ${a.decidedBy ? html`<div class="hint">by ${a.decidedBy}, ${formatDate(a.decidedAt)}</div>` : nothing}
          ${a.reason ? html`<div class="hint">Reason: ${a.reason}</div>` : nothing}
        </td>
        <td class="actions">
          ${canDecide && !isRejecting
            ? decisionButtons({ approve: `approve-${a.id}`, reject: `reject-${a.id}` }, busyId !== '', () => void decide(a, 'approve'), () => {
                rejecting = { id: a.id, reason: '' }
                actionError = ''
                ctx.update()
              })
            : nothing}
        </td>
      </tr>
      ${isRejecting && rejecting
        ? rejectFormRow({
            ids: { reason: 'reject-reason', confirm: 'reject-confirm', cancel: 'reject-cancel' },
            placeholder: 'Why the request is rejected',
            draft: rejecting,
            disabled: busyId !== '',
            onMissingReason: () => {
              actionError = 'A rejection needs a reason: the team sees it.'
              ctx.update()
            },
            onSubmit: (reason) => void decide(a, 'reject', reason),
            onCancel: () => {
              rejecting = undefined
              ctx.update()
            },
          })
        : nothing}`
  }

  const refundQueue = refundRequests(ctx)
  void load()
  return {
    title: 'Approvals',
    view: () => html`
      <header class="page-head">
        <h1>Approvals</h1>
        <p class="muted">Requests from mini program teams: enabling virtual payment, the no-review permission for virtual items, and item releases.</p>
      </header>
      <nav class="tabs" role="tablist">
        ${FILTERS.map(
          (f) =>
            html`<button
              role="tab"
              class=${f === filter ? 'tab active' : 'tab'}
              aria-selected=${f === filter ? 'true' : 'false'}
              data-testid="approvals-tab-${f}"
              @click=${() => {
                filter = f
                approvals = undefined
                rejecting = undefined
                notice = ''
                ctx.update()
                void load()
              }}
            >
              ${f[0]!.toUpperCase() + f.slice(1)}
            </button>`,
        )}
      </nav>
      ${notice ? html`<p class="success" data-testid="approvals-notice">${notice}</p>` : nothing}
      ${actionError ? html`<p class="error" role="alert" data-testid="approvals-error">${actionError}</p>` : nothing}
      ${loadError ? html`<p class="error" role="alert">${loadError}</p>` : nothing}
      <section class="card">
        ${approvals === undefined
          ? loadError
            ? nothing
            : html`<p class="muted">Loading…</p>`
          : approvals.length === 0
            ? html`<p class="muted" data-testid="approvals-empty">No ${filter === 'all' ? '' : `${filter} `}requests.</p>`
            : html`<table class="table">
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Mini game</th>
                    <th>Team</th>
                    <th>Message</th>
                    <th>Requested by</th>
                    <th>Date</th>
                    <th>Status</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${[...approvals].sort((x, y) => y.createdAt.localeCompare(x.createdAt)).map(row)}
                </tbody>
              </table>`}
      </section>
      ${refundQueue()}
    `,
  }
}

/**
 * The players' refund requests from the host shell's "My orders", in every mini game. An
 * approval refunds what is left of the order at once and notifies the game's server.
 */
function refundRequests(ctx: Ctx) {
  let refunds: RefundRow[] | undefined
  let loadError = ''
  let actionError = ''
  let notice = ''
  let busy = ''
  let rejecting: { refundNo: string; reason: string } | undefined

  async function load(): Promise<void> {
    try {
      refunds = (await ordersApi.pendingRefunds()).refunds
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
  }

  async function decide(refund: RefundRow, decision: 'approve' | 'reject', reason = ''): Promise<void> {
    if (busy) return
    busy = refund.refundNo
    actionError = ''
    notice = ''
    ctx.update()
    try {
      const { refund: decided } = decision === 'approve' ? await ordersApi.approveRefund(refund.refundNo) : await ordersApi.rejectRefund(refund.refundNo, reason)
      rejecting = undefined
      notice =
        decided.status === 'succeeded'
          ? `Refunded ${formatMoney(decided.amount)} on order ${decided.orderNo}: the game's server is notified.`
          : `Rejected the refund request on order ${decided.orderNo}.`
      // The decided row stays, with its new status, until the next visit.
      refunds = refunds?.map((r) => (r.refundNo === decided.refundNo ? decided : r))
    } catch (error) {
      actionError = errorMessage(error)
    }
    busy = ''
    ctx.update()
  }

  function row(r: RefundRow) {
    const canDecide = ctx.can('approvals.decide') && r.status === 'pending_approval'
    const isRejecting = rejecting?.refundNo === r.refundNo
    return html`<tr data-testid="refund-request-${r.refundNo}">
        <td><code>${r.refundNo}</code></td>
        <td><code>${r.orderNo}</code><div class="hint"><code>${r.outTradeNo}</code></div></td>
        <td>${r.playerId}</td>
        <td>${formatMoney(r.amount)}</td>
        <td class="message">${r.reason || html`<span class="muted">(no reason)</span>`}</td>
        <td>${formatDate(r.createdAt)}</td>
        <td>
          <span class="badge refund-${r.status}" data-testid="refund-request-status-${r.refundNo}">${refundStatusLabel(r.status)}</span>
          ${r.decidedBy ? html`<div class="hint">by ${r.decidedBy}, ${formatDate(r.decidedAt)}</div>` : nothing}
          ${r.rejectReason ? html`<div class="hint">Reason: ${r.rejectReason}</div>` : nothing}
        </td>
        <td class="actions">
          ${canDecide && !isRejecting
            ? decisionButtons({ approve: `approve-refund-${r.refundNo}`, reject: `reject-refund-${r.refundNo}` }, busy !== '', () => void decide(r, 'approve'), () => {
                rejecting = { refundNo: r.refundNo, reason: '' }
                actionError = ''
                ctx.update()
              })
            : nothing}
        </td>
      </tr>
      ${isRejecting && rejecting
        ? rejectFormRow({
            ids: { reason: 'reject-refund-reason', confirm: 'reject-refund-confirm', cancel: 'reject-refund-cancel' },
            placeholder: 'Why the refund is refused',
            maxLength: 1000,
            draft: rejecting,
            disabled: busy !== '',
            onMissingReason: () => {
              actionError = 'A rejection needs a reason: the player sees it.'
              ctx.update()
            },
            onSubmit: (reason) => void decide(r, 'reject', reason),
            onCancel: () => {
              rejecting = undefined
              ctx.update()
            },
          })
        : nothing}`
  }

  void load()
  return () => html`<section class="card" data-testid="refund-requests">
    <header class="card-head">
      <h2>Refund requests</h2>
      <button
        class="secondary small"
        data-testid="refund-requests-refresh"
        @click=${() => {
          notice = ''
          actionError = ''
          void load()
        }}
      >
        Refresh
      </button>
    </header>
    <p class="muted">Players ask from the host shell's "My orders". Approving refunds what is left of the order and sends the refund notification to the game's server.</p>
    ${notice ? html`<p class="success" data-testid="refund-requests-notice">${notice}</p>` : nothing}
    ${actionError ? html`<p class="error" role="alert" data-testid="refund-requests-error">${actionError}</p>` : nothing}
    ${loadError ? html`<p class="error" role="alert">${loadError}</p>` : nothing}
    ${refunds === undefined
      ? loadError
        ? nothing
        : html`<p class="muted">Loading…</p>`
      : refunds.length === 0
        ? html`<p class="muted" data-testid="refund-requests-empty">No refund requests waiting.</p>`
        : html`<table class="table">
            <thead>
              <tr>
                <th>Refund number</th>
                <th>Order number / outTradeNo</th>
                <th>Player</th>
                <th>Amount</th>
                <th>Reason</th>
                <th>Requested</th>
                <th>Status</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${refunds.map(row)}
            </tbody>
          </table>`}
  </section>`
}

/** Approve and Reject of a pending row; Reject opens the reason form below it. */
function decisionButtons(ids: { approve: string; reject: string }, disabled: boolean, onApprove: () => void, onStartReject: () => void) {
  return html`<button class="primary small" data-testid=${ids.approve} ?disabled=${disabled} @click=${onApprove}>Approve</button>
    <button class="danger small" data-testid=${ids.reject} ?disabled=${disabled} @click=${onStartReject}>Reject</button>`
}

interface RejectFormOptions {
  ids: { reason: string; confirm: string; cancel: string }
  placeholder: string
  maxLength?: number
  /** The reason being typed; edited in place as the user types. */
  draft: { reason: string }
  disabled: boolean
  onMissingReason: () => void
  onSubmit: (reason: string) => void
  onCancel: () => void
}

/** The inline row that asks why a request is rejected: whoever asked sees the reason. */
function rejectFormRow(o: RejectFormOptions) {
  return html`<tr class="inline-form">
    <td colspan="8">
      <form
        class="row"
        @submit=${(e: Event) => {
          e.preventDefault()
          const reason = o.draft.reason.trim()
          if (!reason) o.onMissingReason()
          else o.onSubmit(reason)
        }}
      >
        <label class="field grow"
          >Reason
          <input
            type="text"
            data-testid=${o.ids.reason}
            placeholder=${o.placeholder}
            maxlength=${o.maxLength ?? nothing}
            .value=${o.draft.reason}
            @input=${(e: Event) => (o.draft.reason = (e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="danger" data-testid=${o.ids.confirm} ?disabled=${o.disabled}>Reject</button>
        <button type="button" class="secondary" data-testid=${o.ids.cancel} @click=${o.onCancel}>Cancel</button>
      </form>
    </td>
  </tr>`
}
