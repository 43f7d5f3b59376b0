/**
 * Basic configuration > Request domains: the servers a mini game's wx.request may reach
 * (SAS: Mini game management > Development management > Domain settings), one
 * `https://<domain>` per line, and the simulator's own switch for loopback.
 */
import { html, nothing, type TemplateResult } from 'lit-html'
import { api, errorMessage, type RequestDomainsView } from '../api'
import { errorAlert } from '../components/messages'
import type { Ctx } from '../context'

export function requestDomainsSection(ctx: Ctx, appId: string): { load(): Promise<void>; view(): TemplateResult } {
  let current: RequestDomainsView | undefined
  let loadError = ''
  let form: { text: string; allowLoopback: boolean; error: string; busy: boolean } | undefined
  let savedNotice = ''

  async function load(): Promise<void> {
    try {
      current = await api.requestDomains(appId)
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
  }

  async function save(): Promise<void> {
    const editing = form
    if (!editing) return
    editing.busy = true
    ctx.update()
    const domains = editing.text.split('\n').map((line) => line.trim()).filter(Boolean)
    try {
      current = await api.saveRequestDomains(appId, { domains, allowLoopback: editing.allowLoopback })
      form = undefined
      savedNotice = 'Saved: wx.request follows the new list from the next call.'
    } catch (error) {
      editing.error = errorMessage(error)
      editing.busy = false
    }
    ctx.update()
  }

  function editor(): TemplateResult {
    const f = form!
    return html`<form
      @submit=${(event: Event) => {
        event.preventDefault()
        void save()
      }}
    >
      <label
        >Request domains, one per line (https://api.example.com: no IP address, no port, no path)
        <textarea rows="4" data-testid="request-domains-input" .value=${f.text} @input=${(e: Event) => (f.text = (e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      <label class="check"
        ><input type="checkbox" data-testid="request-domains-loopback" .checked=${f.allowLoopback} @change=${(e: Event) => (f.allowLoopback = (e.target as HTMLInputElement).checked)} />
        Allow loopback (localhost, 127.0.0.1) in the simulator</label
      >
      ${f.error ? html`<p class="error" role="alert" data-testid="request-domains-error">${f.error}</p>` : nothing}
      <div class="row">
        <button type="submit" data-testid="request-domains-save" ?disabled=${f.busy}>Save</button>
        <button type="button" class="secondary" @click=${() => ((form = undefined), ctx.update())}>Cancel</button>
      </div>
    </form>`
  }

  return {
    load,
    view: () => html`<section class="card" data-testid="request-domains-section">
      <header class="row">
        <h2>Request domains</h2>
        ${ctx.can('deliveryConfig.configure') && current && !form
          ? html`<button
              data-testid="request-domains-edit"
              @click=${() => {
                form = { text: current!.domains.join('\n'), allowLoopback: current!.allowLoopback, error: '', busy: false }
                savedNotice = ''
                ctx.update()
              }}
            >
              Edit
            </button>`
          : nothing}
      </header>
      <p class="hint">The servers this mini game's <code>wx.request</code> may reach. A request anywhere else fails with <code>request:fail url not in domain list</code>.</p>
      ${errorAlert(loadError)}
      ${current
        ? html`<ul data-testid="request-domains-list">
              ${current.domains.length ? current.domains.map((domain) => html`<li><code>${domain}</code></li>`) : html`<li class="muted">None yet</li>`}
            </ul>
            ${current.note ? html`<p class="warning" role="note" data-testid="request-domains-note">${current.note}</p>` : nothing}`
        : nothing}
      ${savedNotice ? html`<p class="success" role="status">${savedNotice}</p>` : nothing} ${form ? editor() : nothing}
    </section>`,
  }
}
