/**
 * Commercialization > Virtual payment > Order record (seed section 4): a mini game's orders
 * by creation date, state, player and order number / outTradeNo, a page at a time; a row
 * opens the order's details (the item as sold, the money, the player, the timestamps, the
 * delivery notifications with their attempts, the refunds). The current filter exports as
 * CSV or .xlsx for roles that may export.
 */
import { html, nothing } from 'lit-html'
import {
  api,
  errorMessage,
  ORDER_STATUSES,
  ordersApi,
  saveFile,
  type MiniGame,
  type NotificationAttempt,
  type OrderDetail,
  type OrderFilter,
  type OrderRow,
} from '../api'
import type { Ctx, Page } from '../context'
import { formatMoney, formatTime } from '../context'
import { navigate } from '../router'

const PATH = '/virtual-payment/orders'
const PAGE_SIZE = 20
const COLUMNS = 8
const SOURCE_LABEL = { player: 'Player request', developer: 'Game server (refund_order)' } as const
const KIND_LABEL = { delivery: 'Delivery', refund: 'Refund', test: 'Test push' } as const

/** The badge's class: the status name as a CSS word ("refund failed" -> order-refund-failed). */
const statusClass = (row: OrderRow) => `badge order-${row.statusName.replace(/\s+/g, '-')}`

const when = (iso: string | undefined) => (iso ? formatTime(iso) : html`<span class="muted">—</span>`)
const httpStatus = (a: NotificationAttempt) => (a.status !== undefined ? `HTTP ${a.status}` : 'no HTTP answer')

interface Filters {
  from: string
  to: string
  /** '' is every state. */
  status: string
  q: string
  playerId: string
}

export function ordersPage(ctx: Ctx): Page {
  const wantedAppId = ctx.route.params.get('appId')
  let games: MiniGame[] | undefined
  let game: MiniGame | undefined
  let loadError = ''

  const filters: Filters = { from: '', to: '', status: '', q: '', playerId: '' }
  let pageNo = 1
  let list: { orders: OrderRow[]; total: number; pageSize: number } | undefined
  let listError = ''
  /** Counts the list requests, so only the latest one's answer is shown. */
  let listSeq = 0
  let typingTimer: ReturnType<typeof setTimeout> | undefined

  let selected: string | undefined
  let detail: OrderDetail | undefined
  let detailError = ''

  let exporting = false
  let notice = ''
  let actionError = ''

  async function load(): Promise<void> {
    try {
      games = (await api.miniGames()).miniGames
      // Without a choice, the first game that can sell: the others have no orders.
      game = games.find((g) => g.appId === wantedAppId) ?? games.find((g) => g.paymentPermission === 'approved') ?? games[0]
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
    await loadOrders()
  }

  function filterOf(): OrderFilter {
    const status = filters.status === '' ? undefined : Number(filters.status)
    return {
      from: filters.from || undefined,
      to: filters.to || undefined,
      status,
      q: filters.q.trim() || undefined,
      playerId: filters.playerId.trim() || undefined,
    }
  }

  async function loadOrders(): Promise<void> {
    if (!game) return
    const seq = ++listSeq
    try {
      const result = await ordersApi.list(game.appId, { ...filterOf(), page: pageNo, pageSize: PAGE_SIZE })
      if (seq !== listSeq) return // A newer filter or page was asked for meanwhile.
      list = result
      listError = ''
      // Past the last page (the filter narrowed the list): go to the last one there is.
      if (result.orders.length === 0 && result.total > 0 && pageNo > 1) {
        pageNo = Math.ceil(result.total / result.pageSize)
        void loadOrders()
      }
    } catch (error) {
      if (seq !== listSeq) return
      list = undefined
      listError = errorMessage(error)
    }
    ctx.update()
  }

  function setFilter(change: Partial<Filters>, typed = false): void {
    Object.assign(filters, change)
    pageNo = 1
    clearTimeout(typingTimer)
    // Typing is answered once it pauses, not per key.
    if (typed) typingTimer = setTimeout(() => void loadOrders(), 250)
    else void loadOrders()
  }

  function turnPage(by: number): void {
    pageNo = Math.max(1, pageNo + by)
    void loadOrders()
  }

  async function loadDetail(orderNo: string): Promise<void> {
    if (!game) return
    try {
      const loaded = await ordersApi.detail(game.appId, orderNo)
      if (selected !== orderNo) return // Another row was opened meanwhile.
      detail = loaded
      detailError = ''
    } catch (error) {
      if (selected === orderNo) detailError = errorMessage(error)
    }
    ctx.update()
  }

  function toggle(row: OrderRow): void {
    if (selected === row.orderNo) {
      selected = undefined
      detail = undefined
    } else {
      selected = row.orderNo
      detail = undefined
      detailError = ''
      void loadDetail(row.orderNo)
    }
    ctx.update()
  }

  async function exportAs(format: 'csv' | 'xlsx'): Promise<void> {
    if (!game || exporting) return
    exporting = true
    notice = ''
    actionError = ''
    ctx.update()
    try {
      saveFile(await ordersApi.export(game.appId, format, filterOf()))
      notice = `Exported as ${format === 'csv' ? 'CSV' : '.xlsx'}.`
    } catch (error) {
      actionError = errorMessage(error)
    }
    exporting = false
    ctx.update()
  }

  const picker = () => html`<label class="field"
    >Mini game
    <select data-testid="orders-game-select" @change=${(e: Event) => navigate(PATH, { appId: (e.target as HTMLSelectElement).value })}>
      ${(games ?? []).map((g) => html`<option value=${g.appId} ?selected=${g.appId === game?.appId}>${g.name} (${g.appId})</option>`)}
    </select>
  </label>`

  const filterBar = () => html`<div class="row filters">
    <label class="field"
      >From
      <input type="date" data-testid="orders-from" .value=${filters.from} @change=${(e: Event) => setFilter({ from: (e.target as HTMLInputElement).value })} />
    </label>
    <label class="field"
      >To
      <input type="date" data-testid="orders-to" .value=${filters.to} @change=${(e: Event) => setFilter({ to: (e.target as HTMLInputElement).value })} />
    </label>
    <label class="field"
      >State
      <select data-testid="orders-status" @change=${(e: Event) => setFilter({ status: (e.target as HTMLSelectElement).value })}>
        <option value="" ?selected=${filters.status === ''}>All</option>
        ${ORDER_STATUSES.map((s) => html`<option value=${String(s.value)} ?selected=${filters.status === String(s.value)}>${s.name} (${s.value})</option>`)}
      </select>
    </label>
    <label class="field grow"
      >Search
      <input
        type="search"
        data-testid="orders-search"
        placeholder="Order number or outTradeNo"
        maxlength="64"
        .value=${filters.q}
        @input=${(e: Event) => setFilter({ q: (e.target as HTMLInputElement).value }, true)}
      />
    </label>
    <label class="field"
      >Player
      <input
        type="search"
        data-testid="orders-player"
        placeholder="Player ID or openid"
        maxlength="64"
        .value=${filters.playerId}
        @input=${(e: Event) => setFilter({ playerId: (e.target as HTMLInputElement).value }, true)}
      />
    </label>
  </div>`

  const toolbar = () =>
    ctx.can('orders.export')
      ? html`<div class="row items-toolbar">
          <button class="secondary" data-testid="orders-export-xlsx" ?disabled=${exporting} title="The orders matching the filters, every page" @click=${() => void exportAs('xlsx')}>
            Export .xlsx
          </button>
          <button class="secondary" data-testid="orders-export-csv" ?disabled=${exporting} title="The orders matching the filters, every page" @click=${() => void exportAs('csv')}>
            Export CSV
          </button>
        </div>`
      : nothing

  function attemptView(a: NotificationAttempt, index: number) {
    return html`<li class="attempt outcome-${a.outcome}" data-testid="order-attempt">
      <div class="attempt-head">
        <strong>#${index + 1}</strong>
        <span class="badge ${a.outcome}">${a.outcome}</span>
        ${a.manual ? html`<span class="tag">manual</span>` : nothing}
        ${a.fault ? html`<span class="tag fault">fault: ${a.fault}</span>` : nothing}
        <span class="muted">${formatTime(a.at)}</span>
      </div>
      <div>POST <code>${a.url || '(no URL)'}</code> → <strong>${httpStatus(a)}</strong> in ${a.latencyMs} ms</div>
      ${a.error ? html`<div class="error">${a.error}</div>` : nothing}
    </li>`
  }

  function detailView() {
    if (detailError) return html`<p class="error" role="alert" data-testid="order-detail-error">${detailError}</p>`
    const d = detail
    if (!d) return html`<p class="muted">Loading…</p>`
    return html`<div class="order-detail" data-testid="order-detail">
      <div class="order-item">
        ${d.item.imageUrl ? html`<img class="item-preview" src=${d.item.imageUrl} alt="" />` : html`<div class="item-preview empty">No image</div>`}
        <div>
          <h2 data-testid="order-detail-item">${d.item.name}</h2>
          <div class="muted"><code>${d.productId}</code> · ${formatMoney(d.item.price, d.currency)} each when sold</div>
        </div>
      </div>
      <dl class="facts">
        <dt>Order number</dt>
        <dd><code>${d.orderNo}</code></dd>
        <dt>outTradeNo</dt>
        <dd><code>${d.outTradeNo}</code></dd>
        <dt>State</dt>
        <dd>
          <span class=${statusClass(d)} data-testid="order-detail-status">${d.statusName}</span> <span class="muted">(${d.status})</span>
          ${d.partlyRefunded ? html`<span class="tag">partly refunded</span>` : nothing}
          ${d.deliveryFailed ? html`<span class="tag fault">delivery failed</span>` : nothing}
        </dd>
        <dt>Price</dt>
        <dd data-testid="order-detail-price">${d.quantity} × ${formatMoney(d.unitPrice, d.currency)} = <strong>${formatMoney(d.totalPrice, d.currency)}</strong></dd>
        <dt>Refunded</dt>
        <dd data-testid="order-detail-refunded">${formatMoney(d.refundedAmount, d.currency)}${d.leftFee ? html` <span class="muted">· ${formatMoney(d.leftFee, d.currency)} left to refund</span>` : nothing}</dd>
        <dt>Player</dt>
        <dd data-testid="order-detail-player">${d.playerId} <span class="muted">· openid <code>${d.openid}</code></span></dd>
        <dt>Environment</dt>
        <dd>${d.env === 1 ? 'Sandbox (env 1)' : 'Production (env 0)'}</dd>
        <dt>Created</dt>
        <dd>${when(d.createdAt)}</dd>
        <dt>Paid</dt>
        <dd>${when(d.paidAt)}</dd>
        <dt>Delivered</dt>
        <dd>${when(d.deliveredAt)}</dd>
        <dt>Closed</dt>
        <dd>${when(d.closedAt)}</dd>
      </dl>
      <h3>Notifications (${d.notifications.length})</h3>
      ${d.notifications.length
        ? d.notifications.map(
            (n) => html`<div class="order-notification" data-testid="order-notification-${n.id}">
              <div class="attempt-head">
                <strong>${KIND_LABEL[n.kind] ?? n.kind}</strong> <code class="muted">${n.id}</code>
                <span class="badge ${n.state}">${n.state}</span>
                ${n.nextAttemptAt ? html`<span class="muted">next retry ${formatTime(n.nextAttemptAt)}</span>` : nothing}
              </div>
              ${n.attempts.length ? html`<ol class="attempts">${n.attempts.map(attemptView)}</ol>` : html`<p class="muted">Not attempted yet.</p>`}
            </div>`,
          )
        : html`<p class="muted">None: an order sends its delivery notification once paid.</p>`}
      <h3>Refunds (${d.refunds.length})</h3>
      ${d.refunds.length
        ? html`<table class="table">
            <thead>
              <tr>
                <th>Refund number</th>
                <th>Amount</th>
                <th>Source</th>
                <th>Reason</th>
                <th>Status</th>
                <th>Initiated</th>
              </tr>
            </thead>
            <tbody>
              ${d.refunds.map(
                (r) => html`<tr data-testid="order-refund-${r.refundNo}">
                  <td><code>${r.refundNo}</code>${r.refundOrderId !== r.refundNo ? html`<div class="hint">refund_order_id <code>${r.refundOrderId}</code></div>` : nothing}</td>
                  <td>${formatMoney(r.amount, d.currency)}</td>
                  <td>${SOURCE_LABEL[r.source] ?? r.source}</td>
                  <td class="message">${r.reason || html`<span class="muted">—</span>`}</td>
                  <td>
                    <span class="badge refund-${r.status}">${r.status.replace('_', ' ')}</span>
                    ${r.decidedBy ? html`<div class="hint">by ${r.decidedBy}, ${formatTime(r.decidedAt)}</div>` : nothing}
                    ${r.rejectReason ? html`<div class="hint">Reason: ${r.rejectReason}</div>` : nothing}
                  </td>
                  <td>${formatTime(r.createdAt)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted">None.</p>`}
      <details>
        <summary class="muted">signData and attach</summary>
        <pre>${d.signData}</pre>
        ${d.attach ? html`<pre>${d.attach}</pre>` : nothing}
      </details>
    </div>`
  }

  function row(o: OrderRow) {
    const open = selected === o.orderNo
    return html`<tr
        class=${open ? 'clickable selected' : 'clickable'}
        data-testid="order-row-${o.orderNo}"
        tabindex="0"
        aria-expanded=${open ? 'true' : 'false'}
        @click=${() => toggle(o)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key !== 'Enter' && e.key !== ' ') return
          e.preventDefault()
          toggle(o)
        }}
      >
        <td><code>${o.orderNo}</code><div class="hint"><code>${o.outTradeNo}</code></div></td>
        <td>${o.itemName}<div class="hint"><code>${o.productId}</code></div></td>
        <td>${o.quantity}</td>
        <td>${formatMoney(o.totalPrice, o.currency)}</td>
        <td>${o.refundedAmount ? formatMoney(o.refundedAmount, o.currency) : html`<span class="muted">—</span>`}</td>
        <td>${o.playerId}${o.env === 1 ? html`<div class="hint">sandbox</div>` : nothing}</td>
        <td>
          <span class=${statusClass(o)} data-testid="order-status-${o.orderNo}">${o.statusName}</span>
          ${o.partlyRefunded ? html`<div class="hint" data-testid="order-partly-refunded-${o.orderNo}">partly refunded</div>` : nothing}
          ${o.deliveryFailed ? html`<div class="hint">delivery failed</div>` : nothing}
        </td>
        <td>${formatTime(o.createdAt)}</td>
      </tr>
      ${open
        ? html`<tr class="detail-row">
            <td colspan=${COLUMNS}>${detailView()}</td>
          </tr>`
        : nothing}`
  }

  function table() {
    if (listError) return html`<p class="error" role="alert" data-testid="orders-error">${listError}</p>`
    if (!list) return html`<p class="muted">Loading…</p>`
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize))
    const filtered = Object.values(filterOf()).some((v) => v !== undefined)
    return html`${list.orders.length === 0
        ? html`<p class="muted" data-testid="orders-empty">${filtered ? 'No orders match these filters.' : `No orders for ${game?.name ?? 'this mini game'} yet.`}</p>`
        : html`<table class="table orders">
            <thead>
              <tr>
                <th>Order number / outTradeNo</th>
                <th>Item</th>
                <th>Qty</th>
                <th>Total</th>
                <th>Refunded</th>
                <th>Player</th>
                <th>State</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              ${list.orders.map(row)}
            </tbody>
          </table>`}
      <div class="row pager">
        <span class="muted" data-testid="orders-total">${list.total} order${list.total === 1 ? '' : 's'}</span>
        <button class="secondary small" data-testid="orders-prev" ?disabled=${pageNo <= 1} @click=${() => turnPage(-1)}>Previous</button>
        <span class="muted" data-testid="orders-page">Page ${pageNo} of ${pages}</span>
        <button class="secondary small" data-testid="orders-next" ?disabled=${pageNo >= pages} @click=${() => turnPage(1)}>Next</button>
      </div>`
  }

  void load()
  return {
    title: 'Order record',
    close() {
      clearTimeout(typingTimer)
    },
    view: () => html`
      <header class="page-head">
        <h1>Order record</h1>
        ${games?.length ? picker() : nothing}
        <p class="muted">The mini game's orders, newest first. Dates are order creation dates (UTC), both ends included. Click a row for the details.</p>
      </header>
      ${loadError ? html`<p class="error" role="alert">${loadError}</p>` : nothing}
      ${games === undefined && !loadError ? html`<p class="muted">Loading…</p>` : nothing}
      ${games?.length === 0 ? html`<p class="muted" data-testid="orders-empty">No mini games.</p>` : nothing}
      ${notice ? html`<p class="success" data-testid="orders-notice">${notice}</p>` : nothing}
      ${actionError ? html`<p class="error" role="alert" data-testid="orders-action-error">${actionError}</p>` : nothing}
      ${game
        ? html`${toolbar()}
            <section class="card">${filterBar()} ${table()}</section>`
        : nothing}
    `,
  }
}
