/**
 * Commercialization > Virtual payment > After-sales record (seed section 5): a mini game's
 * refunds by initiation date. The server owns the range rules (the last 7 days by default,
 * never reaching back more than 12 months, on the simulator's clock): the page asks without
 * dates first and shows the range the server answered with, and shows its refusal as is.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, ordersApi, saveFile, type MiniGame, type RefundFilter, type RefundRow } from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { exportButtons, exportedNotice, type ExportFormat } from '../components/exportButtons'
import { filterBar, type DateRange } from '../components/filterBar'
import { gamePicker } from '../components/gamePicker'
import { emptyState, errorAlert, loading, noValue, successNotice } from '../components/messages'
import { pager } from '../components/pager'
import { orderNumbers, playerCell, refundNumber, refundStatus } from '../components/recordCells'
import type { Ctx, Page } from '../context'
import { formatMoney, formatTime } from '../context'

const PATH = '/virtual-payment/after-sales'
const SOURCE_LABEL: Record<RefundRow['source'], string> = { player: 'Player request', developer: 'Game server' }

const COLUMNS: Column<RefundRow>[] = [
  { header: 'Refund number', cell: refundNumber },
  { header: 'Order number / outTradeNo', cell: orderNumbers },
  { header: 'Amount', testId: (r) => `refund-amount-${r.refundNo}`, cell: (r) => formatMoney(r.amount) },
  { header: 'Source', cell: (r) => html`${SOURCE_LABEL[r.source] ?? r.source}<div class="hint">${playerCell(r)}</div>` },
  { header: 'Reason', className: 'message', cell: (r) => r.reason || noValue },
  { header: 'Status', cell: (r) => refundStatus(r, { badgeTestId: `refund-status-${r.refundNo}` }) },
  { header: 'Initiated', cell: (r) => formatTime(r.createdAt) },
  { header: 'Refunded', cell: (r) => (r.succeededAt ? formatTime(r.succeededAt) : noValue) },
]

export function afterSalesPage(ctx: Ctx): Page {
  const wantedAppId = ctx.route.params.get('appId')
  let games: MiniGame[] | undefined
  let game: MiniGame | undefined
  let loadError = ''

  /** What the inputs hold; '' until the server has said which range it used. */
  const range: DateRange = { from: '', to: '' }
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

  function setRange(change: Partial<DateRange>): void {
    Object.assign(range, change)
    clearTimeout(typingTimer)
    void loadRefunds()
  }

  function setSearch(text: string): void {
    q = text
    clearTimeout(typingTimer)
    // Typing is answered once it pauses, not per key.
    typingTimer = setTimeout(() => void loadRefunds(), 250)
  }

  async function exportAs(format: ExportFormat): Promise<void> {
    if (!game || !applied || exporting) return
    exporting = true
    notice = ''
    actionError = ''
    ctx.update()
    try {
      saveFile(await ordersApi.exportRefunds(game.appId, format, applied))
      notice = exportedNotice(format)
    } catch (error) {
      actionError = errorMessage(error)
    }
    exporting = false
    ctx.update()
  }

  const filterRow = () =>
    filterBar([
      { kind: 'dateRange', labels: ['Initiated from', 'to'], testIds: ['after-sales-from', 'after-sales-to'], value: range, onChange: setRange },
      { kind: 'search', label: 'Search', testId: 'after-sales-search', placeholder: 'Order number or refund number', maxLength: 64, grow: true, value: q, onInput: setSearch },
    ])

  const toolbar = () =>
    ctx.can('afterSales.export')
      ? html`<div class="row items-toolbar">
          ${exportButtons({ testIdPrefix: 'after-sales', disabled: exporting || !applied, title: 'The refunds of the range shown', onExport: (format) => void exportAs(format) })}
        </div>`
      : nothing

  function table() {
    if (listError) return errorAlert(listError, 'after-sales-error')
    if (!refunds) return loading()
    if (refunds.length === 0) {
      return emptyState(`No refunds initiated from ${range.from} to ${range.to}${q.trim() ? ` matching "${q.trim()}"` : ''}.`, 'after-sales-empty')
    }
    return html`${dataTable({ className: 'refunds', columns: COLUMNS, rows: refunds, rowTestId: (r) => `refund-row-${r.refundNo}` })}
    ${pager({ testIdPrefix: 'after-sales', total: refunds.length, noun: 'refund' })}`
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
        ${games?.length ? gamePicker({ testId: 'after-sales-game-select', games, current: game, path: PATH }) : nothing}
        <p class="muted">
          Refunds by the date they were initiated (UTC, both ends included): the last 7 days unless you choose, reaching back at most 12 months.
        </p>
      </header>
      ${errorAlert(loadError)} ${games === undefined && !loadError ? loading() : nothing}
      ${games?.length === 0 ? emptyState('No mini games.', 'after-sales-empty') : nothing} ${successNotice(notice, 'after-sales-notice')}
      ${errorAlert(actionError, 'after-sales-action-error')}
      ${game
        ? html`${toolbar()}
            <section class="card">${filterRow()} ${table()}</section>`
        : nothing}
    `,
  }
}
