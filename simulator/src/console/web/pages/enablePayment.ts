/**
 * Commercialization > Virtual payment > Enable payment (seed section 1): the team's mini
 * games, and "Request permission" sending a message to the superapp for approval.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, type Approval, type MiniGame } from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { emptyState, errorAlert, loading, successNotice } from '../components/messages'
import type { Ctx, Page } from '../context'
import { formatDate } from '../context'

export function enablePaymentPage(ctx: Ctx): Page {
  let games: MiniGame[] | undefined
  let loadError = ''
  /** The latest payment request per rejected game, to show why. */
  const latestRequest = new Map<string, Approval>()
  let dialog: { game: MiniGame; message: string; error: string; busy: boolean } | undefined
  let notice = ''

  async function load(): Promise<void> {
    try {
      games = (await api.miniGames()).miniGames
      loadError = ''
      await Promise.all(
        games
          .filter((g) => g.paymentPermission === 'rejected' || g.paymentPermission === 'pending')
          .map(async (g) => {
            const { requests } = await api.paymentRequests(g.appId)
            const latest = [...requests].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
            if (latest) latestRequest.set(g.appId, latest)
          }),
      ).catch(() => {}) // The reason is a nicety; the table is what matters.
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
  }

  async function submit(): Promise<void> {
    if (!dialog || dialog.busy) return
    const current = dialog
    current.busy = true
    current.error = ''
    ctx.update()
    try {
      const { approval } = await api.requestPayment(current.game.appId, current.message.trim())
      latestRequest.set(current.game.appId, approval)
      dialog = undefined
      notice = `Request for ${current.game.name} sent to the superapp for approval.`
      await load()
    } catch (error) {
      current.busy = false
      current.error = errorMessage(error)
      ctx.update()
    }
  }

  function why(game: MiniGame): string {
    if (!game.merchantBound) return 'The team has no bound merchant yet.'
    if (game.paymentPermission === 'pending') return 'A request is waiting for the superapp.'
    if (game.paymentPermission === 'approved') return 'Virtual payment is already enabled.'
    return ''
  }

  function paymentCell(game: MiniGame) {
    const request = latestRequest.get(game.appId)
    return html`<span class="badge ${game.paymentPermission}" data-testid="payment-status-${game.appId}">${game.paymentPermission}</span>
      ${game.paymentPermission === 'rejected' && request?.reason
        ? html`<div class="hint" data-testid="payment-reason-${game.appId}">Reason: ${request.reason}</div>`
        : nothing}
      ${game.paymentPermission === 'pending' && request ? html`<div class="hint">Requested ${formatDate(request.createdAt)}</div>` : nothing}`
  }

  function requestButton(game: MiniGame) {
    if (!ctx.can('payment.request')) return nothing
    const blocked = why(game)
    return html`<button
      class="primary small"
      data-testid="request-payment-${game.appId}"
      ?disabled=${blocked !== ''}
      title=${blocked || 'Ask the superapp to enable virtual payment'}
      @click=${() => {
        dialog = { game, message: '', error: '', busy: false }
        notice = ''
        ctx.update()
      }}
    >
      Request permission
    </button>`
  }

  const columns: Column<MiniGame>[] = [
    { header: 'Mini game', cell: (g) => html`<strong>${g.name}</strong>` },
    { header: 'AppID', cell: (g) => html`<code>${g.appId}</code>` },
    { header: 'Team', cell: (g) => g.teamName },
    { header: 'Merchant', cell: (g) => (g.merchantBound ? html`<span class="yes">Bound</span>` : html`<span class="no">Not bound</span>`) },
    { header: 'Payment', cell: paymentCell },
    { header: '', className: 'actions', cell: requestButton },
  ]

  function dialogView() {
    if (!dialog) return nothing
    const current = dialog
    const close = () => {
      dialog = undefined
      ctx.update()
    }
    return html`<div class="backdrop" @click=${(e: Event) => e.target === e.currentTarget && close()}>
      <form
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="request-title"
        data-testid="request-dialog"
        @submit=${(e: Event) => {
          e.preventDefault()
          void submit()
        }}
      >
        <h2 id="request-title">Request permission</h2>
        <p class="muted">Enable virtual payment for <strong>${current.game.name}</strong> (${current.game.appId}). The superapp reviews the request.</p>
        <label class="stack"
          >Request message
          <textarea
            data-testid="request-message"
            rows="4"
            maxlength="500"
            placeholder="What the game sells and why it needs virtual payment"
            .value=${current.message}
            @input=${(e: Event) => (current.message = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        ${errorAlert(current.error, 'request-error')}
        <div class="row end">
          <button type="button" class="secondary" data-testid="request-cancel" @click=${close}>Cancel</button>
          <button type="submit" class="primary" data-testid="request-confirm" ?disabled=${current.busy}>Confirm</button>
        </div>
      </form>
    </div>`
  }

  void load()
  return {
    title: 'Enable payment',
    view: () => html`
      <header class="page-head">
        <h1>Enable payment</h1>
        <p class="muted">
          After the team has bound a merchant, the mini program administrator requests virtual payment for a mini game; it is
          available once the superapp approves.
        </p>
      </header>
      ${successNotice(notice, 'request-sent')} ${errorAlert(loadError)}
      <section class="card">
        ${games === undefined && !loadError
          ? loading()
          : games?.length === 0
            ? emptyState('No mini games in your team.')
            : dataTable({ columns, rows: games ?? [], rowTestId: (g) => `game-row-${g.appId}` })}
      </section>
      ${dialogView()}
    `,
  }
}
