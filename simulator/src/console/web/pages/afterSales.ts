/**
 * Commercialization > Virtual payment > After-sales record (seed section 5): a mini game's
 * refunds by initiation date. The server owns the range rules (the last 7 days by default,
 * never reaching back more than 12 months, on the simulator's clock): the page asks without
 * dates first and shows the range the server answered with, and shows its refusal as is.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, ordersApi, saveFile, type MiniGame, type RefundFilter, type RefundRow, type RefundStatus } from '../api'
import type { Ctx, Page } from '../context'
import { formatMoney, formatTime } from '../context'
import { navigate } from '../router'

const PATH = '/virtual-payment/after-sales'
const STATUS_LABEL: Record<RefundStatus, string> = { pending_approval: 'pending approval', succeeded: 'succeeded', rejected: 'rejected' }
const SOURCE_LABEL: Record<RefundRow['source'], string> = { player: 'Player request', developer: 'Game server' }

export const refundStatusLabel = (status: RefundStatus): string => STATUS_LABEL[status] ?? status

export function afterSalesPage(ctx: Ctx): Page {
  const wantedAppId = ctx.route.params.get('appId')
  let games: MiniGame[] | undefined
  let game: MiniGame | undefined
  let loadError = ''

  /** What the inputs hold; '' until the server has said which range it used. */
  const range = { from: '', to: '' }
  let q = ''
  /** The range the shown list was read with: exports use it, so the file matches the screen. */
  let applied: RefundFilter | undefined
  let refunds: RefundRow[] | undefined
  let listError = ''
  let listSeq = 0
  let typingTimer: ReturnType<typeof setTimeout> | undefined

  let exporting = false
  let notice = ''
  let actionError = ''

  async function load(): Promise<void> {
    try {
      games = (await api.miniGames()).miniGames
      game = games.find((g) => g.appId === wantedAppId) ?? games.find((g) => g.paymentPermission === 'approved') ?? games[0]
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
    await loadRefunds()
  }

  async function loadRefunds(): Promise<void> {
    if (!game) return
    const seq = ++listSeq
    const wanted: RefundFilter = { from: range.from || undefined, to: range.to || undefined, q: q.trim() || undefined }
    try {
      const result = await ordersApi.refunds(game.appId, wanted)
      if (seq !== listSeq) return // A newer range or search was asked for meanwhile.
      refunds = result.refunds
      // The range the server used: the default one on the first load, else what was asked.
      range.from = result.from
      range.to = result.to
      applied = { from: result.from, to: result.to, q: wanted.q }
      listError = ''
    } catch (error) {
      if (seq !== listSeq) return
      refunds = undefined
      applied = undefined
      listError = errorMessage(error)
    }
    ctx.update()
  }

  function setRange(change: Partial<typeof range>): void {
    Object.assign(range, change)
    clearTimeout(typingTimer)
    void loadRefunds()
  }

  async function exportAs(format: 'csv' | 'xlsx'): Promise<void> {
    if (!game || !applied || exporting) return
    exporting = true
    notice = ''
    actionError = ''
    ctx.update()
    try {
      saveFile(await ordersApi.exportRefunds(game.appId, format, applied))
      notice = `Exported as ${format === 'csv' ? 'CSV' : '.xlsx'}.`
    } catch (error) {
      actionError = errorMessage(error)
    }
    exporting = false
    ctx.update()
  }

  const picker = () => html`<label class="field"
    >Mini game
    <select data-testid="after-sales-game-select" @change=${(e: Event) => navigate(PATH, { appId: (e.target as HTMLSelectElement).value })}>
      ${(games ?? []).map((g) => html`<option value=${g.appId} ?selected=${g.appId === game?.appId}>${g.name} (${g.appId})</option>`)}
    </select>
  </label>`

  const filterBar = () => html`<div class="row filters">
    <label class="field"
      >Initiated from
      <input type="date" data-testid="after-sales-from" .value=${range.from} @change=${(e: Event) => setRange({ from: (e.target as HTMLInputElement).value })} />
    </label>
    <label class="field"
      >to
      <input type="date" data-testid="after-sales-to" .value=${range.to} @change=${(e: Event) => setRange({ to: (e.target as HTMLInputElement).value })} />
    </label>
    <label class="field grow"
      >Search
      <input
        type="search"
        data-testid="after-sales-search"
        placeholder="Order number or refund number"
        maxlength="64"
        .value=${q}
        @input=${(e: Event) => {
          q = (e.target as HTMLInputElement).value
          clearTimeout(typingTimer)
          // Typing is answered once it pauses, not per key.
          typingTimer = setTimeout(() => void loadRefunds(), 250)
        }}
      />
    </label>
  </div>`

  const toolbar = () =>
    ctx.can('afterSales.export')
      ? html`<div class="row items-toolbar">
          <button class="secondary" data-testid="after-sales-export-xlsx" ?disabled=${exporting || !applied} title="The refunds of the range shown" @click=${() => void exportAs('xlsx')}>
            Export .xlsx
          </button>
          <button class="secondary" data-testid="after-sales-export-csv" ?disabled=${exporting || !applied} title="The refunds of the range shown" @click=${() => void exportAs('csv')}>
            Export CSV
          </button>
        </div>`
      : nothing

  function row(r: RefundRow) {
    return html`<tr data-testid="refund-row-${r.refundNo}">
      <td><code>${r.refundNo}</code>${r.refundOrderId !== r.refundNo ? html`<div class="hint">refund_order_id <code>${r.refundOrderId}</code></div>` : nothing}</td>
      <td><code>${r.orderNo}</code><div class="hint"><code>${r.outTradeNo}</code></div></td>
      <td data-testid="refund-amount-${r.refundNo}">${formatMoney(r.amount)}</td>
      <td>${SOURCE_LABEL[r.source] ?? r.source}<div class="hint">${r.playerId}</div></td>
      <td class="message">${r.reason || html`<span class="muted">—</span>`}</td>
      <td>
        <span class="badge refund-${r.status}" data-testid="refund-status-${r.refundNo}">${refundStatusLabel(r.status)}</span>
        ${r.decidedBy ? html`<div class="hint">by ${r.decidedBy}, ${formatTime(r.decidedAt)}</div>` : nothing}
        ${r.rejectReason ? html`<div class="hint">Reason: ${r.rejectReason}</div>` : nothing}
      </td>
      <td>${formatTime(r.createdAt)}</td>
      <td>${r.succeededAt ? formatTime(r.succeededAt) : html`<span class="muted">—</span>`}</td>
    </tr>`
  }

  function table() {
    if (listError) return html`<p class="error" role="alert" data-testid="after-sales-error">${listError}</p>`
    if (!refunds) return html`<p class="muted">Loading…</p>`
    if (refunds.length === 0) {
      return html`<p class="muted" data-testid="after-sales-empty">No refunds initiated from ${range.from} to ${range.to}${q.trim() ? ` matching "${q.trim()}"` : ''}.</p>`
    }
    return html`<table class="table refunds">
        <thead>
          <tr>
            <th>Refund number</th>
            <th>Order number / outTradeNo</th>
            <th>Amount</th>
            <th>Source</th>
            <th>Reason</th>
            <th>Status</th>
            <th>Initiated</th>
            <th>Refunded</th>
          </tr>
        </thead>
        <tbody>
          ${refunds.map(row)}
        </tbody>
      </table>
      <div class="row pager"><span class="muted" data-testid="after-sales-total">${refunds.length} refund${refunds.length === 1 ? '' : 's'}</span></div>`
  }

  void load()
  return {
    title: 'After-sales record',
    close() {
      clearTimeout(typingTimer)
    },
    view: () => html`
      <header class="page-head">
        <h1>After-sales record</h1>
        ${games?.length ? picker() : nothing}
        <p class="muted">
          Refunds by the date they were initiated (UTC, both ends included): the last 7 days unless you choose, reaching back at most 12 months.
        </p>
      </header>
      ${loadError ? html`<p class="error" role="alert">${loadError}</p>` : nothing}
      ${games === undefined && !loadError ? html`<p class="muted">Loading…</p>` : nothing}
      ${games?.length === 0 ? html`<p class="muted" data-testid="after-sales-empty">No mini games.</p>` : nothing}
      ${notice ? html`<p class="success" data-testid="after-sales-notice">${notice}</p>` : nothing}
      ${actionError ? html`<p class="error" role="alert" data-testid="after-sales-action-error">${actionError}</p>` : nothing}
      ${game
        ? html`${toolbar()}
            <section class="card">${filterBar()} ${table()}</section>`
        : nothing}
    `,
  }
}
