/**
 * Commercialization > Virtual payment > Deliveries: the notifications the superapp sent to
 * the game's server (deliveries, refunds, test pushes), each with the exact request and
 * every attempt, live as the delivery engine retries. The real console has no such page;
 * here it is what a developer looks at when the game server did not grant an item.
 */
import { html, nothing } from 'lit-html'
import {
  api,
  errorMessage,
  watchDeliveryAttempts,
  type DeliveryAttemptEvent,
  type DeliveryConfig,
  type MiniGame,
  type NotificationAttempt,
  type NotificationDetail,
  type NotificationFilter,
  type NotificationKind,
  type NotificationState,
  type NotificationSummary,
} from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { filterBar } from '../components/filterBar'
import { gamePicker } from '../components/gamePicker'
import { emptyState, errorAlert, loading, noValue } from '../components/messages'
import { resentTag } from '../components/recordCells'
import type { Ctx, Page } from '../context'
import { formatTime } from '../context'

const PATH = '/virtual-payment/deliveries'
const STATES: NotificationState[] = ['pending', 'delivered', 'failed']
const KINDS: NotificationKind[] = ['delivery', 'refund', 'test']
const KIND_LABEL: Record<NotificationKind, string> = { delivery: 'Delivery', refund: 'Refund', test: 'Test push' }
const TARGET_LABEL: Record<NotificationSummary['target'], string> = { url: 'URL', testUrl: 'Test URL' }
const STATE_OPTIONS = STATES.map((s) => ({ value: s, label: s }))
const KIND_OPTIONS = KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))

/** Pretty-printed when it is JSON; as received otherwise (a malformed body is worth seeing as is). */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** The envelope's Payload: a JSON string inside the JSON body, signed byte for byte, so it is shown decoded apart. */
function payloadOf(body: string): string | undefined {
  let envelope: unknown
  try {
    envelope = JSON.parse(body)
  } catch {
    return undefined
  }
  const payload = (envelope as { Payload?: unknown } | null)?.Payload
  if (typeof payload !== 'string') return undefined
  return pretty(payload)
}

// A test push belongs to no order.
const orderNo = (n: NotificationSummary) => (n.orderNo ? html`<code>${n.orderNo}</code>` : html`<span class="muted">— (test push)</span>`)

const httpStatus = (a: NotificationAttempt) => (a.status !== undefined ? `HTTP ${a.status}` : 'no HTTP answer')

/** The log's columns; a row opens the notification's request and attempts under it. */
const COLUMNS: Column<NotificationSummary>[] = [
  { header: 'Kind', cell: (n) => html`${KIND_LABEL[n.kind] ?? n.kind}${n.refundNo ? html`<div class="hint"><code>${n.refundNo}</code></div>` : nothing}` },
  { header: 'outTradeNo', cell: (n) => html`<code>${n.outTradeNo}</code>` },
  { header: 'Order number', cell: orderNo },
  { header: 'State', cell: (n) => html`<span class="badge ${n.state}" data-testid="delivery-state-${n.id}">${n.state}</span>` },
  { header: 'Attempts', cell: (n) => n.attemptCount },
  {
    header: 'Last attempt',
    cell: ({ lastAttempt: last }) =>
      last
        ? html`<span class="badge ${last.outcome}">${last.outcome}</span>
            <div class="hint">${httpStatus(last)} · ${formatTime(last.at)}</div>`
        : noValue,
  },
  { header: 'Next retry', cell: (n) => (n.nextAttemptAt ? formatTime(n.nextAttemptAt) : noValue) },
  { header: 'Created', cell: (n) => formatTime(n.createdAt) },
]

export function deliveriesPage(ctx: Ctx): Page {
  const wantedAppId = ctx.route.params.get('appId')
  let games: MiniGame[] | undefined
  let game: MiniGame | undefined
  let loadError = ''
  /** The configured URLs, to say where a notification goes; only for roles that may view them. */
  let config: DeliveryConfig | undefined

  // '' is "all", as the selects have it.
  const filter: { state: NotificationState | ''; kind: NotificationKind | ''; q: string } = { state: '', kind: '', q: '' }
  let notifications: NotificationSummary[] | undefined
  let listError = ''
  // One list request at a time: filters typed quickly and a burst of live attempts both end
  // in one more request for the latest state, not in a pile of answers arriving out of order.
  let listBusy = false
  let listAgain = false

  let selectedId: string | undefined
  let detail: NotificationDetail | undefined
  let detailError = ''
  let resend: { busy: boolean; notice?: string; error?: string } = { busy: false }

  let live = false
  let stopWatching: (() => void) | undefined
  let closed = false

  async function load(): Promise<void> {
    try {
      games = (await api.miniGames()).miniGames
      // Without a choice, the first game that has somewhere to deliver to: the others have an empty log.
      game = games.find((g) => g.appId === wantedAppId) ?? games.find((g) => g.deliveryConfigured) ?? games[0]
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
    if (!game || closed) return
    const appId = game.appId
    stopWatching = watchDeliveryAttempts(appId, {
      attempt: onAttempt,
      connected(connected) {
        live = connected
        // Attempts made while the socket was down were not announced: catch up on reconnecting.
        if (connected && notifications) refreshList()
        ctx.update()
      },
    })
    refreshList()
  }

  /** Read again on each opened detail: the URL may have been changed on Basic configuration since. */
  function loadConfig(): void {
    if (!game || !ctx.can('deliveryConfig.view')) return
    api
      .deliveryConfig(game.appId)
      .then((c) => {
        config = c
        ctx.update()
      })
      .catch(() => {}) // Only used to name the target URL; each attempt records its own URL anyway.
  }

  function refreshList(): void {
    if (!game) return
    if (listBusy) {
      listAgain = true
      return
    }
    listBusy = true
    const appId = game.appId
    void (async () => {
      do {
        listAgain = false
        try {
          const wanted: NotificationFilter = { state: filter.state || undefined, kind: filter.kind || undefined, q: filter.q.trim() || undefined }
          const result = (await api.notifications(appId, wanted)).notifications
          // The filters changed (or more attempts came) meanwhile: this answer is already old.
          if (!listAgain) {
            notifications = result
            listError = ''
          }
        } catch (error) {
          listError = errorMessage(error)
        }
        ctx.update()
      } while (listAgain && !closed)
      listBusy = false
    })()
  }

  async function loadDetail(id: string): Promise<void> {
    if (!game) return
    try {
      const loaded = await api.notification(game.appId, id)
      if (selectedId !== id) return // Another row was opened meanwhile.
      detail = loaded
      detailError = ''
    } catch (error) {
      if (selectedId === id) detailError = errorMessage(error)
    }
    ctx.update()
  }

  function onAttempt(event: DeliveryAttemptEvent): void {
    refreshList()
    if (selectedId && event.notificationId === selectedId) void loadDetail(selectedId)
  }

  function toggle(n: NotificationSummary): void {
    resend = { busy: false }
    if (selectedId === n.id) {
      selectedId = undefined
      detail = undefined
    } else {
      selectedId = n.id
      detail = undefined
      detailError = ''
      loadConfig()
      void loadDetail(n.id)
    }
    ctx.update()
  }

  async function resendNotification(): Promise<void> {
    if (!game || !detail || resend.busy) return
    const id = detail.id
    resend = { busy: true }
    ctx.update()
    try {
      const { notification } = await api.resendNotification(game.appId, id)
      if (selectedId === id) detail = notification
      const last = notification.attempts[notification.attempts.length - 1]
      resend = { busy: false, notice: last ? `Resent: ${last.outcome} (${httpStatus(last)}).` : 'Resent.' }
      refreshList()
    } catch (error) {
      resend = { busy: false, error: errorMessage(error) }
    }
    ctx.update()
  }

  const setFilter = (change: Partial<typeof filter>) => {
    Object.assign(filter, change)
    refreshList()
  }

  const filterRow = () =>
    filterBar(
      [
        { kind: 'select', label: 'State', testId: 'deliveries-state', value: filter.state, options: STATE_OPTIONS, onChange: (state) => setFilter({ state: state as NotificationState | '' }) },
        { kind: 'select', label: 'Kind', testId: 'deliveries-kind', value: filter.kind, options: KIND_OPTIONS, onChange: (kind) => setFilter({ kind: kind as NotificationKind | '' }) },
        { kind: 'search', label: 'Search', testId: 'deliveries-search', placeholder: 'Order number or outTradeNo', maxLength: 64, grow: true, value: filter.q, onInput: (q) => setFilter({ q }) },
      ],
      html`<button class="secondary small" data-testid="deliveries-refresh" @click=${() => refreshList()}>Refresh</button>`,
    )

  function attemptView(a: NotificationAttempt, index: number) {
    return html`<li class="attempt outcome-${a.outcome}" data-testid="delivery-attempt">
      <div class="attempt-head">
        <strong>#${index + 1}</strong>
        <span class="badge ${a.outcome}" data-testid="delivery-attempt-outcome">${a.outcome}</span>
        ${a.manual ? html`<span class="tag" data-testid="delivery-attempt-manual" title="Sent by a resend, not by the retry schedule">manual</span>` : nothing}
        ${a.fault ? html`<span class="tag fault" data-testid="delivery-attempt-fault" title="Shaped by a fault set through /_sim/">fault: ${a.fault}</span>` : nothing}
        ${resentTag(a, 'delivery-attempt-resent')}
        <span class="muted">${formatTime(a.at)}</span>
      </div>
      <div>
        POST <code>${a.url || '(no URL)'}</code> → <strong data-testid="delivery-attempt-status">${httpStatus(a)}</strong> in ${a.latencyMs} ms
      </div>
      ${a.error ? html`<div class="error">${a.error}</div>` : nothing}
      ${a.responseBody !== undefined
        ? html`<div class="hint">Response body</div>
            <pre data-testid="delivery-attempt-response">${a.responseBody || '(empty body)'}</pre>`
        : nothing}
    </li>`
  }

  function detailView() {
    if (detailError) return errorAlert(detailError, 'delivery-detail-error')
    const d = detail
    if (!d) return loading()
    const payload = payloadOf(d.body)
    const headers = Object.entries(d.requestHeaders)
    // Where the next attempt goes: the configured URL now, else where the last one went.
    const targetUrl = config?.[d.target] || d.attempts[d.attempts.length - 1]?.url || ''
    return html`<div class="delivery-detail" data-testid="delivery-detail">
      <div class="card-head">
        <h2>${KIND_LABEL[d.kind] ?? d.kind} <code>${d.id}</code></h2>
        ${ctx.can('deliveryConfig.configure')
          ? html`<button
              class="primary small"
              data-testid="delivery-resend"
              ?disabled=${resend.busy}
              title="POST the same notification again now, outside the retry schedule"
              @click=${() => void resendNotification()}
            >
              ${resend.busy ? 'Resending…' : 'Resend'}
            </button>`
          : nothing}
      </div>
      ${resend.notice ? html`<p class="success" role="status" data-testid="delivery-resend-result">${resend.notice}</p>` : nothing}
      ${errorAlert(resend.error ?? '', 'delivery-resend-error')}
      <dl class="facts">
        <dt>Target</dt>
        <dd data-testid="delivery-target">
          ${TARGET_LABEL[d.target] ?? d.target}: ${targetUrl ? html`<code>${targetUrl}</code>` : html`<span class="muted">not configured</span>`}
        </dd>
        <dt>Order number</dt>
        <dd>${orderNo(d)}</dd>
        <dt>outTradeNo</dt>
        <dd><code>${d.outTradeNo}</code></dd>
        ${d.refundNo
          ? html`<dt>Refund number</dt>
              <dd><code>${d.refundNo}</code></dd>`
          : nothing}
        <dt>Created</dt>
        <dd>${formatTime(d.createdAt)}</dd>
        ${d.nextAttemptAt
          ? html`<dt>Next retry</dt>
              <dd>${formatTime(d.nextAttemptAt)}</dd>`
          : nothing}
      </dl>
      <h3>Request headers</h3>
      <pre data-testid="delivery-headers">${headers.length ? headers.map(([name, value]) => `${name}: ${value}`).join('\n') : '(none recorded)'}</pre>
      <h3>Body</h3>
      <pre data-testid="delivery-body">${pretty(d.body)}</pre>
      ${payload !== undefined
        ? html`<h3>Payload, parsed</h3>
            <pre data-testid="delivery-payload">${payload}</pre>
            <p class="hint">PayEventSig signs the Payload string exactly as sent, not this rendering of it.</p>`
        : nothing}
      <details>
        <summary class="muted">Exact body as sent</summary>
        <pre data-testid="delivery-raw-body">${d.body}</pre>
      </details>
      <h3>Attempts (${d.attempts.length})</h3>
      ${d.attempts.length
        ? html`<ol class="attempts">
            ${d.attempts.map(attemptView)}
          </ol>`
        : html`<p class="muted" data-testid="delivery-no-attempts">Not attempted yet.</p>`}
    </div>`
  }

  function list() {
    if (notifications === undefined) return listError ? nothing : loading()
    if (notifications.length === 0) {
      const filtered = filter.state || filter.kind || filter.q.trim()
      return emptyState(filtered ? 'No notifications match these filters.' : `No notifications for ${game?.name ?? 'this mini game'} yet: a paid order sends one.`, 'deliveries-empty')
    }
    return html`${dataTable({
      className: 'deliveries',
      columns: COLUMNS,
      rows: notifications,
      rowTestId: (n) => `delivery-row-${n.id}`,
      expand: { isOpen: (n) => n.id === selectedId, toggle, detail: () => detailView() },
    })}
    ${notifications.length >= 200 ? html`<p class="hint">The newest 200 are shown: narrow the filters to find older ones.</p>` : nothing}`
  }

  void load()
  return {
    title: 'Deliveries',
    close() {
      closed = true
      stopWatching?.()
    },
    view: () => html`
      <header class="page-head">
        <h1>Deliveries</h1>
        ${games?.length ? gamePicker({ testId: 'deliveries-game-select', games, current: game, path: PATH }) : nothing}
        ${game
          ? live
            ? html`<span class="live" data-testid="deliveries-live" title="Attempts appear as they happen">Live</span>`
            : html`<span class="live off" data-testid="deliveries-offline" title="Reconnecting every 2 s; Refresh still works">Not live</span>`
          : nothing}
        <p class="muted">
          The notifications sent to the game's server (deliveries, refunds, test pushes) with the exact request and every attempt.
          Click a row for the details.
        </p>
      </header>
      ${errorAlert(loadError)} ${games === undefined && !loadError ? loading() : nothing}
      ${games?.length === 0 ? emptyState('No mini games.', 'deliveries-empty') : nothing}
      ${game
        ? html`${filterRow()} ${errorAlert(listError, 'deliveries-error')}
            <section class="card">${list()}</section>`
        : nothing}
    `,
  }
}
