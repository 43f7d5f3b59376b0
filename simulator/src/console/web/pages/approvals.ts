/**
 * The superapp's approvals: the teams' requests for virtual payment and for the no-review
 * permission, and the players' refund requests. Approve at once; reject with a reason the
 * team (or the player) sees.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, ordersApi, type Approval, type ApprovalStatus, type RefundRow } from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { emptyState, errorAlert, loading, successNotice } from '../components/messages'
import { orderNumbers, playerCell, refundStatus } from '../components/recordCells'
import { tabs } from '../components/tabs'
import type { Ctx, Page } from '../context'
import { formatDate, formatMoney } from '../context'

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

  const columns: Column<Approval>[] = [
    { header: 'Kind', cell: (a) => KIND_LABEL[a.kind] ?? a.kind },
    { header: 'Mini game', cell: (a) => html`<strong>${a.miniGameName}</strong><br /><code class="muted">${a.appId}</code>` },
    { header: 'Team', cell: (a) => a.teamName },
    {
      header: 'Message',
      className: 'message',
      cell: (a) => html`${a.message || html`<span class="muted">(no message)</span>`}
        ${a.productIds?.length ? html`<div class="hint" data-testid="approval-items-${a.id}">Items: ${a.productIds.join(', ')}</div>` : nothing}`,
    },
    { header: 'Requested by', cell: (a) => a.requestedBy },
    { header: 'Date', cell: (a) => formatDate(a.createdAt) },
    {
      header: 'Status',
      cell: (a) => html`<span class="badge ${a.status}" data-testid="approval-status-${a.id}">${a.status}</span>
        ${a.decidedBy ? html`<div class="hint">by ${a.decidedBy}, ${formatDate(a.decidedAt)}</div>` : nothing}
        ${a.reason ? html`<div class="hint">Reason: ${a.reason}</div>` : nothing}`,
    },
    {
      header: '',
      className: 'actions',
      cell: (a) =>
        ctx.can('approvals.decide') && a.status === 'pending' && rejecting?.id !== a.id
          ? decisionButtons({ approve: `approve-${a.id}`, reject: `reject-${a.id}` }, busyId !== '', () => void decide(a, 'approve'), () => {
              rejecting = { id: a.id, reason: '' }
              actionError = ''
              ctx.update()
            })
          : nothing,
    },
  ]

  function rejectionForm(a: Approval) {
    if (rejecting?.id !== a.id) return undefined
    return rejectForm({
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
  }

  function chooseTab(f: Filter): void {
    filter = f
    approvals = undefined
    rejecting = undefined
    notice = ''
    ctx.update()
    void load()
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
      ${filter === 'pending' ? refundQueue() : nothing}
      ${tabs({ tabs: FILTERS, current: filter, testIdPrefix: 'approvals', label: (f) => f[0]!.toUpperCase() + f.slice(1), select: chooseTab })}
      ${successNotice(notice, 'approvals-notice')} ${errorAlert(actionError, 'approvals-error')} ${errorAlert(loadError)}
      <section class="card">
        <header class="card-head"><h2>Team requests</h2></header>
        ${approvals === undefined
          ? loadError
            ? nothing
            : loading()
          : approvals.length === 0
            ? // Says whose requests: the players' refund requests have a queue of their own on this page.
              emptyState(`No ${filter === 'all' ? '' : `${filter} `}team requests.`, 'approvals-empty')
            : dataTable({
                columns,
                rows: [...approvals].sort((x, y) => y.createdAt.localeCompare(x.createdAt)),
                rowTestId: (a) => `approval-row-${a.id}`,
                inlineForm: rejectionForm,
              })}
      </section>
      ${filter === 'pending' ? nothing : refundQueue()}
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

  const columns: Column<RefundRow>[] = [
    { header: 'Refund number', cell: (r) => html`<code>${r.refundNo}</code>` },
    { header: 'Order number / outTradeNo', cell: orderNumbers },
    { header: 'Player', cell: playerCell },
    { header: 'Amount', cell: (r) => formatMoney(r.amount) },
    { header: 'Reason', className: 'message', cell: (r) => r.reason || html`<span class="muted">(no reason)</span>` },
    { header: 'Requested', cell: (r) => formatDate(r.createdAt) },
    // Dates without seconds, like the requests above.
    { header: 'Status', cell: (r) => refundStatus(r, { badgeTestId: `refund-request-status-${r.refundNo}`, formatWhen: formatDate }) },
    {
      header: '',
      className: 'actions',
      cell: (r) =>
        ctx.can('approvals.decide') && r.status === 'pending_approval' && rejecting?.refundNo !== r.refundNo
          ? decisionButtons({ approve: `approve-refund-${r.refundNo}`, reject: `reject-refund-${r.refundNo}` }, busy !== '', () => void decide(r, 'approve'), () => {
              rejecting = { refundNo: r.refundNo, reason: '' }
              actionError = ''
              ctx.update()
            })
          : nothing,
    },
  ]

  function rejectionForm(r: RefundRow) {
    if (rejecting?.refundNo !== r.refundNo) return undefined
    return rejectForm({
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
    ${successNotice(notice, 'refund-requests-notice')} ${errorAlert(actionError, 'refund-requests-error')} ${errorAlert(loadError)}
    ${refunds === undefined
      ? loadError
        ? nothing
        : loading()
      : refunds.length === 0
        ? emptyState('No refund requests waiting.', 'refund-requests-empty')
        : dataTable({ columns, rows: refunds, rowTestId: (r) => `refund-request-${r.refundNo}`, inlineForm: rejectionForm })}
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

/** The inline form, under the row, that asks why a request is rejected: whoever asked sees the reason. */
function rejectForm(o: RejectFormOptions) {
  return html`<form
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
  </form>`
}
