/**
 * Commercialization > Virtual payment > Basic configuration (seed section 2): the delivery
 * notification configuration with its certificate and key, the no-review permission
 * for virtual items, and the mini game's request domains. Read-only roles see the same values without the buttons.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, type DeliveryConfig, type EndpointCheck, type EndpointCheckReport, type Exemption, type MiniGame, type TestPushResult } from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { gamePicker } from '../components/gamePicker'
import { countOf, errorAlert, loading, noValue, successNotice } from '../components/messages'
import { promptForm } from '../components/promptForm'
import { requestDomainsSection } from './requestDomainsSection'
import type { Ctx, Page } from '../context'
import { formatDate } from '../context'
import { href } from '../router'

const PATH = '/virtual-payment/basic'

/** The endpoint checker's report, one row per check. */
const CHECK_COLUMNS: Column<EndpointCheck>[] = [
  { header: 'Check', cell: (c) => c.check },
  { header: 'Expected', cell: (c) => c.expected },
  { header: 'Result', cell: (c) => html`<span class="badge ${c.passed ? 'success' : 'failure'}">${c.passed ? 'passed' : 'failed'}</span>` },
  { header: 'HTTP', cell: (c) => c.status ?? noValue },
  {
    header: 'Detail',
    cell: (c) => html`${c.detail}
      ${c.responseBody !== undefined
        ? html`<details>
            <summary class="muted">Response body</summary>
            <pre>${c.responseBody || '(empty body)'}</pre>
          </details>`
        : nothing}`,
  },
]

export function basicConfigPage(ctx: Ctx): Page {
  const wantedAppId = ctx.route.params.get('appId')
  let games: MiniGame[] | undefined
  let game: MiniGame | undefined
  let loadError = ''
  let config: DeliveryConfig | undefined
  let configError = ''
  let exemption: Exemption | undefined
  let exemptionError = ''

  // The delivery form, shown after Configure.
  let form: { url: string; testUrl: string; enabled: boolean; error: string; busy: boolean } | undefined
  /** What the last save said: shown until the next action. */
  let saved: { text: string; mailedTo?: string } | undefined
  let warnings: string[] = []
  let resetConfirm = false
  let resetBusy = false
  let resetResult = ''
  let resetError = ''
  let push: { busy: boolean; result?: TestPushResult; error?: string } = { busy: false }
  /** The endpoint checker: orderNo picks the real order whose notification the checks start from. */
  let check: { busy: boolean; orderNo: string; result?: EndpointCheckReport; error?: string } = { busy: false, orderNo: '' }

  let exemptionForm: { message: string; error: string; busy: boolean } | undefined
  let revokeForm: { reason: string; error: string; busy: boolean } | undefined
  let exemptionNotice = ''

  let domains: ReturnType<typeof requestDomainsSection> | undefined

  async function load(): Promise<void> {
    try {
      games = (await api.miniGames()).miniGames
      game = games.find((g) => g.appId === wantedAppId) ?? games[0]
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
    if (game) domains = requestDomainsSection(ctx, game.appId)
    if (game) await Promise.all([loadConfig(), loadExemption(), domains!.load()])
  }

  async function loadConfig(): Promise<void> {
    if (!game) return
    try {
      config = await api.deliveryConfig(game.appId)
      warnings = config.warnings
      configError = ''
    } catch (error) {
      configError = errorMessage(error)
    }
    ctx.update()
  }

  async function loadExemption(): Promise<void> {
    if (!game || !ctx.can('exemption.view')) return
    try {
      exemption = await api.exemption(game.appId)
      exemptionError = ''
    } catch (error) {
      exemptionError = errorMessage(error)
    }
    ctx.update()
  }

  function clearResults(): void {
    saved = undefined
    resetResult = ''
    resetError = ''
    push = { busy: false }
    check = { busy: false, orderNo: check.orderNo }
  }

  async function save(): Promise<void> {
    if (!game || !form || form.busy) return
    const current = form
    current.busy = true
    current.error = ''
    ctx.update()
    try {
      const result = await api.saveDeliveryConfig(game.appId, {
        url: current.url.trim(),
        testUrl: current.testUrl.trim(),
        notificationsEnabled: current.enabled,
      })
      config = result
      warnings = result.warnings
      form = undefined
      saved = result.credentialsIssued
        ? { text: 'Configuration saved. A certificate and key were issued.', mailedTo: result.mailedTo }
        : { text: 'Configuration saved.' }
    } catch (error) {
      current.busy = false
      current.error = errorMessage(error)
    }
    ctx.update()
  }

  async function resetCredentials(): Promise<void> {
    if (!game || resetBusy) return
    resetBusy = true
    resetError = ''
    ctx.update()
    try {
      const result = await api.resetCredentials(game.appId)
      if (config) config = { ...config, credentials: result.credentials }
      resetResult = `New certificate and key sent to ${result.mailedTo}. The previous ones no longer work.`
      resetConfirm = false
    } catch (error) {
      resetError = errorMessage(error)
    }
    resetBusy = false
    ctx.update()
  }

  async function testPush(): Promise<void> {
    if (!game || push.busy) return
    push = { busy: true }
    ctx.update()
    try {
      push = { busy: false, result: await api.testPush(game.appId) }
    } catch (error) {
      push = { busy: false, error: errorMessage(error) }
    }
    ctx.update()
  }

  async function checkEndpoint(): Promise<void> {
    if (!game || check.busy) return
    const orderNo = check.orderNo
    check = { busy: true, orderNo }
    ctx.update()
    try {
      check = { busy: false, orderNo, result: await api.checkEndpoint(game.appId, orderNo.trim() || undefined) }
    } catch (error) {
      check = { busy: false, orderNo, error: errorMessage(error) }
    }
    ctx.update()
  }

  async function requestExemption(): Promise<void> {
    if (!game || !exemptionForm || exemptionForm.busy) return
    const current = exemptionForm
    current.busy = true
    current.error = ''
    ctx.update()
    try {
      await api.requestExemption(game.appId, current.message.trim())
      exemptionForm = undefined
      exemptionNotice = 'Request sent to the superapp for approval.'
      await loadExemption()
    } catch (error) {
      current.busy = false
      current.error = errorMessage(error)
    }
    ctx.update()
  }

  async function revokeExemption(): Promise<void> {
    if (!game || !revokeForm || revokeForm.busy) return
    const current = revokeForm
    if (!current.reason.trim()) {
      current.error = 'Give a reason: the team sees it.'
      ctx.update()
      return
    }
    current.busy = true
    current.error = ''
    ctx.update()
    try {
      const result = await api.revokeExemption(game.appId, current.reason.trim())
      revokeForm = undefined
      exemptionNotice = `Exemption revoked; ${countOf(result.removedItems, 'released item')} removed.`
      await loadExemption()
    } catch (error) {
      current.busy = false
      current.error = errorMessage(error)
    }
    ctx.update()
  }

  function deliveryForm() {
    if (!form) return nothing
    const current = form
    return html`<form
      class="form"
      data-testid="delivery-form"
      @submit=${(e: Event) => {
        e.preventDefault()
        void save()
      }}
    >
      <label class="stack"
        >URL
        <input
          data-testid="delivery-url"
          type="text"
          inputmode="url"
          placeholder="https://game.example.com/api/delivery"
          .value=${current.url}
          @input=${(e: Event) => (current.url = (e.target as HTMLInputElement).value)}
        />
        <span class="hint">Receives item delivery notifications. http:// (port 80) or https:// (port 443).</span>
      </label>
      <label class="stack"
        >Test URL
        <input
          data-testid="delivery-test-url"
          type="text"
          inputmode="url"
          placeholder="https://test.game.example.com/api/delivery"
          .value=${current.testUrl}
          @input=${(e: Event) => (current.testUrl = (e.target as HTMLInputElement).value)}
        />
        <span class="hint">Sandbox orders and test pushes go here.</span>
      </label>
      <label class="check">
        <input
          type="checkbox"
          data-testid="delivery-enabled"
          .checked=${current.enabled}
          @change=${(e: Event) => (current.enabled = (e.target as HTMLInputElement).checked)}
        />
        Enable notifications
      </label>
      ${config?.credentials
        ? nothing
        : html`<p class="hint">Confirming requests a certificate and key from the superapp; they are emailed to ${ctx.me.email}.</p>`}
      ${errorAlert(current.error, 'delivery-error')}
      <div class="row">
        <button type="submit" class="primary" data-testid="delivery-save" ?disabled=${current.busy}>Confirm</button>
        <button
          type="button"
          class="secondary"
          data-testid="delivery-cancel"
          @click=${() => {
            form = undefined
            ctx.update()
          }}
        >
          Cancel
        </button>
      </div>
    </form>`
  }

  function pushResult() {
    if (push.busy) return html`<p class="muted" data-testid="test-push-result">Sending…</p>`
    if (push.error) return errorAlert(push.error, 'test-push-result')
    const r = push.result
    if (!r) return nothing
    return html`<div class="result ${r.outcome}" data-testid="test-push-result">
      <div>
        <span class="badge ${r.outcome === 'success' ? 'approved' : 'rejected'}">${r.outcome}</span>
        POST <code>${r.url}</code> ${r.status !== undefined ? html`→ HTTP ${r.status}` : nothing} in ${r.latencyMs} ms
      </div>
      ${r.error ? html`<div class="error">${r.error}</div>` : nothing}
      ${r.responseBody !== undefined ? html`<pre>${r.responseBody || '(empty body)'}</pre>` : nothing}
    </div>`
  }

  function checkResult() {
    if (check.busy) return html`<p class="muted" data-testid="check-endpoint-result">Checking…</p>`
    if (check.error) return errorAlert(check.error, 'check-endpoint-result')
    const r = check.result
    if (!r) return nothing
    const total = r.passed + r.failed
    return html`<div class="result" data-testid="check-endpoint-result">
      <div data-testid="check-endpoint-summary">
        <span class="badge ${r.failed ? 'failure' : 'success'}">${r.failed ? 'failed' : 'passed'}</span>
        ${r.failed ? `${r.failed} of ${total} checks failed` : `All ${total} checks passed`} against <code>${r.url}</code>
      </div>
      ${dataTable({ columns: CHECK_COLUMNS, rows: r.results, rowTestId: () => 'check-row' })}
    </div>`
  }

  function deliverySection() {
    const canConfigure = ctx.can('deliveryConfig.configure')
    const canCredentials = ctx.can('deliveryConfig.requestCredentials')
    const c = config
    return html`<section class="card" data-testid="delivery-section">
      <header class="card-head">
        <h2>Delivery notification configuration</h2>
        ${canConfigure && c && !form
          ? html`<button
              class="primary"
              data-testid="configure-delivery"
              @click=${() => {
                form = { url: c.url, testUrl: c.testUrl, enabled: c.notificationsEnabled || !c.url, error: '', busy: false }
                clearResults()
                ctx.update()
              }}
            >
              Configure
            </button>`
          : nothing}
      </header>
      ${errorAlert(configError)} ${!c && !configError ? loading() : nothing}
      ${c
        ? html`<dl class="facts">
            <dt>URL</dt>
            <dd data-testid="delivery-current-url">${c.url ? html`<code>${c.url}</code>` : html`<span class="muted">Not configured</span>`}</dd>
            <dt>Test URL</dt>
            <dd data-testid="delivery-current-test-url">
              ${c.testUrl ? html`<code>${c.testUrl}</code>` : html`<span class="muted">Not configured</span>`}
            </dd>
            <dt>Notifications</dt>
            <dd data-testid="delivery-current-enabled">${c.notificationsEnabled ? 'Enabled' : 'Disabled'}</dd>
            <dt>Certificate and key</dt>
            <dd data-testid="credentials-status">
              ${c.credentials
                ? html`Issued ${formatDate(c.credentials.issuedAt)}, valid until ${formatDate(c.credentials.validUntil)} · AppKey
                    <code>${c.credentials.appKeyHint}</code> · certificate SHA-256
                    <code data-testid="certificate-fingerprint">${c.credentials.certificateFingerprint}</code>`
                : html`<span class="muted">Not issued yet (the first save requests them)</span>`}
            </dd>
          </dl>`
        : nothing}
      ${warnings.length
        ? html`<div class="warning" role="status" data-testid="delivery-warnings">
            <strong>The real console would refuse this:</strong>
            <ul>
              ${warnings.map((w) => html`<li>${w}</li>`)}
            </ul>
          </div>`
        : nothing}
      ${saved
        ? html`<div class="success" role="status" data-testid="delivery-saved">
            ${saved.text}
            ${saved.mailedTo
              ? html`Certificate and key sent to <strong>${saved.mailedTo}</strong>: check the <a href="#/mailbox">Mailbox</a>.`
              : nothing}
          </div>`
        : nothing}
      ${deliveryForm()}
      ${c && !form && (canCredentials || canConfigure)
        ? html`<div class="row">
            ${canCredentials && c.credentials
              ? html`<button
                  class="secondary"
                  data-testid="credentials-reset"
                  @click=${() => {
                    clearResults()
                    resetConfirm = true
                    ctx.update()
                  }}
                >
                  Reset certificate and key
                </button>`
              : nothing}
            ${canConfigure
              ? html`<button class="secondary" data-testid="test-push" ?disabled=${push.busy || !c.credentials || !(c.testUrl || c.url)}
                  title=${c.credentials ? 'POST a signed mock notification to the Test URL (or the URL)' : 'Save the configuration first: the push is signed with the AppKey it issues'}
                  @click=${() => void testPush()}
                >
                  Send test push
                </button>
                <input
                  type="text"
                  data-testid="check-endpoint-order"
                  placeholder="Order number (optional)"
                  maxlength="40"
                  title="Start the checks from this order's delivery; empty: the latest delivered order's"
                  aria-label="Order number for the endpoint check (optional)"
                  .value=${check.orderNo}
                  @input=${(e: Event) => (check.orderNo = (e.target as HTMLInputElement).value)}
                  @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void checkEndpoint()}
                />
                <button class="secondary" data-testid="check-endpoint" ?disabled=${check.busy || !c.credentials || !c.url}
                  title=${c.credentials && c.url
                    ? 'POST a valid notification, the same again, and four broken ones: the server must acknowledge the first two and refuse the rest'
                    : 'Save a URL first: the checks go to it, signed with the AppKey the first save issues'}
                  @click=${() => void checkEndpoint()}
                >
                  Check endpoint
                </button>`
              : nothing}
          </div>`
        : nothing}
      ${resetConfirm
        ? html`<div class="confirm" role="alertdialog" data-testid="credentials-reset-prompt">
            <p>Issue a new certificate and key? The current ones stop working at once; the new ones are emailed to ${ctx.me.email}.</p>
            <div class="row">
              <button class="danger" data-testid="credentials-reset-confirm" ?disabled=${resetBusy} @click=${() => void resetCredentials()}>
                Reset
              </button>
              <button
                class="secondary"
                data-testid="credentials-reset-cancel"
                @click=${() => {
                  resetConfirm = false
                  ctx.update()
                }}
              >
                Cancel
              </button>
            </div>
          </div>`
        : nothing}
      ${errorAlert(resetError, 'credentials-reset-error')}
      ${resetResult
        ? html`<p class="success" data-testid="credentials-reset-result">${resetResult} <a href="#/mailbox">Open the Mailbox</a></p>`
        : nothing}
      ${pushResult()} ${checkResult()}
    </section>`
  }

  function exemptionSection() {
    if (!ctx.can('exemption.view')) return nothing
    const e = exemption
    const canRequest = ctx.can('exemption.request') && e && ['none', 'rejected', 'revoked'].includes(e.status)
    const canRevoke = ctx.can('exemption.revoke') && e?.status === 'approved'
    const latest = e ? [...e.requests].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] : undefined
    return html`<section class="card" data-testid="exemption-section">
      <header class="card-head">
        <h2>No-review permission for virtual items</h2>
      </header>
      <p class="muted">
        With this permission the team releases items without the superapp's approval. The items must follow the superapp's operating
        rules: the superapp may revoke the permission and remove the items.
      </p>
      ${errorAlert(exemptionError)}
      ${e
        ? html`<dl class="facts">
            <dt>Status</dt>
            <dd><span class="badge ${e.status}" data-testid="exemption-status">${e.status}</span></dd>
            ${latest
              ? html`<dt>Last request</dt>
                  <dd>
                    ${formatDate(latest.createdAt)} by ${latest.requestedBy}: “${latest.message}”
                    ${latest.reason ? html`<br /><span class="muted">Reason: ${latest.reason}</span>` : nothing}
                  </dd>`
              : nothing}
          </dl>`
        : exemptionError
          ? nothing
          : loading()}
      ${successNotice(exemptionNotice, 'exemption-result')}
      ${canRequest && !exemptionForm
        ? html`<button
            class="primary"
            data-testid="exemption-request"
            @click=${() => {
              exemptionForm = { message: '', error: '', busy: false }
              exemptionNotice = ''
              ctx.update()
            }}
          >
            Request
          </button>`
        : nothing}
      ${exemptionForm
        ? promptForm({
            label: 'Request message',
            multiline: true,
            maxLength: 500,
            testIds: { field: 'exemption-message', error: 'exemption-error', confirm: 'exemption-confirm' },
            value: exemptionForm.message,
            onInput: (value) => exemptionForm && (exemptionForm.message = value),
            error: exemptionForm.error,
            busy: exemptionForm.busy,
            confirm: { label: 'Confirm', className: 'primary' },
            onSubmit: () => void requestExemption(),
            onCancel: () => {
              exemptionForm = undefined
              ctx.update()
            },
          })
        : nothing}
      ${canRevoke && !revokeForm
        ? html`<button
            class="danger"
            data-testid="exemption-revoke"
            @click=${() => {
              revokeForm = { reason: '', error: '', busy: false }
              exemptionNotice = ''
              ctx.update()
            }}
          >
            Revoke
          </button>`
        : nothing}
      ${revokeForm
        ? promptForm({
            label: "Reason for revoking (the team's released items are removed)",
            testIds: { field: 'exemption-revoke-reason', error: 'exemption-revoke-error', confirm: 'exemption-revoke-confirm' },
            value: revokeForm.reason,
            onInput: (value) => revokeForm && (revokeForm.reason = value),
            error: revokeForm.error,
            busy: revokeForm.busy,
            confirm: { label: 'Revoke', className: 'danger' },
            onSubmit: () => void revokeExemption(),
            onCancel: () => {
              revokeForm = undefined
              ctx.update()
            },
          })
        : nothing}
    </section>`
  }

  void load()
  return {
    title: 'Basic configuration',
    view: () => html`
      <header class="page-head">
        <h1>Basic configuration</h1>
        ${games?.length ? gamePicker({ testId: 'basic-game-select', games, current: game, path: PATH }) : nothing}
      </header>
      ${!ctx.can('deliveryConfig.configure') && !ctx.can('exemption.request')
        ? html`<p class="muted" data-testid="read-only-note">Read-only: your role can view this configuration but not change it.</p>`
        : nothing}
      ${errorAlert(loadError)} ${games === undefined && !loadError ? loading() : nothing}
      ${games?.length === 0 ? html`<p class="muted">No mini games to configure.</p>` : nothing}
      ${game && game.paymentPermission !== 'approved'
        ? html`<p class="hint">
            Virtual payment is <strong>${game.paymentPermission === 'none' ? 'not requested' : game.paymentPermission}</strong> for
            ${game.name}${ctx.can('payment.request') ? html`: see <a href=${href('/virtual-payment/enable')}>Enable payment</a>` : nothing}.
          </p>`
        : nothing}
      ${game ? deliverySection() : nothing} ${game ? exemptionSection() : nothing} ${domains ? domains.view() : nothing}
    `,
  }
}
