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
  type OrderRefund,
  type OrderRow,
} from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { exportButtons, exportedNotice, type ExportFormat } from '../components/exportButtons'
import { filterBar } from '../components/filterBar'
import { gamePicker } from '../components/gamePicker'
import { emptyState, errorAlert, loading, noValue, successNotice } from '../components/messages'
import { pager } from '../components/pager'
import { orderNumbers, playerCell, refundNumber, refundStatus, resentTag } from '../components/recordCells'
import type { Ctx, Page } from '../context'
import { formatMoney, formatTime } from '../context'

const PATH = '/virtual-payment/orders'
const PAGE_SIZE = 20
const SOURCE_LABEL = { player: 'Player request', developer: 'Game server (refund_order)' } as const
const KIND_LABEL = { delivery: 'Delivery', refund: 'Refund', test: 'Test push' } as const
const STATUS_OPTIONS = ORDER_STATUSES.map((s) => ({ value: String(s.value), label: `${s.name} (${s.value})` }))

/** The badge's class: the status name as a CSS word ("refund failed" -> order-refund-failed). */
const statusClass = (row: OrderRow) => `badge order-${row.statusName.replace(/\s+/g, '-')}`

const when = (iso: string | undefined) => (iso ? formatTime(iso) : noValue)
const httpStatus = (a: NotificationAttempt) => (a.status !== undefined ? `HTTP ${a.status}` : 'no HTTP answer')

/** The list's columns; a row opens its details under it. */
const COLUMNS: Column<OrderRow>[] = [
  { header: 'Order number / outTradeNo', cell: orderNumbers },
  { header: 'Item', cell: (o) => html`${o.itemName}<div class="hint"><code>${o.productId}</code></div>` },
  { header: 'Qty', cell: (o) => o.quantity },
  { header: 'Total', cell: (o) => formatMoney(o.totalPrice, o.currency) },
  { header: 'Refunded', cell: (o) => (o.refundedAmount ? formatMoney(o.refundedAmount, o.currency) : noValue) },
  { header: 'Player', cell: (o) => html`${playerCell(o)}${o.env === 1 ? html`<div class="hint">sandbox</div>` : nothing}` },
  {
    header: 'State',
    cell: (o) => html`<span class=${statusClass(o)} data-testid="order-status-${o.orderNo}">${o.statusName}</span>
      ${o.partlyRefunded ? html`<div class="hint" data-testid="order-partly-refunded-${o.orderNo}">partly refunded</div>` : nothing}
      ${o.deliveryFailed ? html`<div class="hint">delivery failed</div>` : nothing}`,
  },
  { header: 'Created', cell: (o) => formatTime(o.createdAt) },
]

/** The refunds in an order's details, in the order's own currency. */
const refundColumns = (currency: string): Column<OrderRefund>[] => [
  { header: 'Refund number', cell: refundNumber },
  { header: 'Amount', cell: (r) => formatMoney(r.amount, currency) },
  { header: 'Source', cell: (r) => SOURCE_LABEL[r.source] ?? r.source },
  { header: 'Reason', className: 'message', cell: (r) => r.reason || noValue },
  { header: 'Status', cell: (r) => refundStatus(r) },
  { header: 'Initiated', cell: (r) => formatTime(r.createdAt) },
]

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

  function turnPage(by: -1 | 1): void {
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

  async function exportAs(format: ExportFormat): Promise<void> {
    if (!game || exporting) return
    exporting = true
    notice = ''
    actionError = ''
    ctx.update()
    try {
      saveFile(await ordersApi.export(game.appId, format, filterOf()))
      notice = exportedNotice(format)
    } catch (error) {
      actionError = errorMessage(error)
    }
    exporting = false
    ctx.update()
  }

  const filterRow = () =>
    filterBar([
      { kind: 'dateRange', labels: ['From', 'To'], testIds: ['orders-from', 'orders-to'], value: filters, onChange: (change) => setFilter(change) },
      { kind: 'select', label: 'State', testId: 'orders-status', value: filters.status, options: STATUS_OPTIONS, onChange: (status) => setFilter({ status }) },
      {
        kind: 'search',
        label: 'Search',
        testId: 'orders-search',
        placeholder: 'Order number or outTradeNo',
        maxLength: 64,
        grow: true,
        value: filters.q,
        onInput: (q) => setFilter({ q }, true),
      },
      {
        kind: 'search',
        label: 'Player',
        testId: 'orders-player',
        placeholder: 'Player ID or openid',
        maxLength: 64,
        value: filters.playerId,
        onInput: (playerId) => setFilter({ playerId }, true),
      },
    ])

  const toolbar = () =>
    ctx.can('orders.export')
      ? html`<div class="row items-toolbar">
          ${exportButtons({ testIdPrefix: 'orders', disabled: exporting, title: 'The orders matching the filters, every page', onExport: (format) => void exportAs(format) })}
        </div>`
      : nothing

  function attemptView(a: NotificationAttempt, index: number) {
    return html`<li class="attempt outcome-${a.outcome}" data-testid="order-attempt">
      <div class="attempt-head">
        <strong>#${index + 1}</strong>
        <span class="badge ${a.outcome}">${a.outcome}</span>
        ${a.manual ? html`<span class="tag">manual</span>` : nothing}
        ${a.fault ? html`<span class="tag fault">fault: ${a.fault}</span>` : nothing}
        ${resentTag(a)}
        <span class="muted">${formatTime(a.at)}</span>
      </div>
      <div>POST <code>${a.url || '(no URL)'}</code> → <strong>${httpStatus(a)}</strong> in ${a.latencyMs} ms</div>
      ${a.error ? html`<div class="error">${a.error}</div>` : nothing}
    </li>`
  }

  function detailView() {
    if (detailError) return errorAlert(detailError, 'order-detail-error')
    const d = detail
    if (!d) return loading()
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
        <dd data-testid="order-detail-player">${playerCell(d)} <span class="muted">· openid <code>${d.openid}</code></span></dd>
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
        ? dataTable({ columns: refundColumns(d.currency), rows: d.refunds, rowTestId: (r) => `order-refund-${r.refundNo}` })
        : html`<p class="muted">None.</p>`}
      <details>
        <summary class="muted">signData and attach</summary>
        <pre>${d.signData}</pre>
        ${d.attach ? html`<pre>${d.attach}</pre>` : nothing}
      </details>
    </div>`
  }

  function table() {
    if (listError) return errorAlert(listError, 'orders-error')
    if (!list) return loading()
    const filtered = Object.values(filterOf()).some((v) => v !== undefined)
    return html`${list.orders.length === 0
        ? emptyState(filtered ? 'No orders match these filters.' : `No orders for ${game?.name ?? 'this mini game'} yet.`, 'orders-empty')
        : dataTable({
            className: 'orders',
            columns: COLUMNS,
            rows: list.orders,
            rowTestId: (o) => `order-row-${o.orderNo}`,
            expand: { isOpen: (o) => selected === o.orderNo, toggle, detail: () => detailView() },
          })}
      ${pager({ testIdPrefix: 'orders', total: list.total, noun: 'order', paging: { page: pageNo, pageSize: list.pageSize, turn: turnPage } })}`
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
        ${games?.length ? gamePicker({ testId: 'orders-game-select', games, current: game, path: PATH }) : nothing}
        <p class="muted">The mini game's orders, newest first. Dates are order creation dates (UTC), both ends included. Click a row for the details.</p>
      </header>
      ${errorAlert(loadError)} ${games === undefined && !loadError ? loading() : nothing}
      ${games?.length === 0 ? emptyState('No mini games.', 'orders-empty') : nothing} ${successNotice(notice, 'orders-notice')}
      ${errorAlert(actionError, 'orders-action-error')}
      ${game
        ? html`${toolbar()}
            <section class="card">${filterRow()} ${table()}</section>`
        : nothing}
    `,
  }
}
