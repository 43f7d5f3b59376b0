/**
 * The simulator's stand-in for e-mail: what the real console would send to the account's
 * address (certificates and keys, approval results), newest first.
 */
import { html, nothing } from 'lit-html'
import { api, errorMessage, type MailMessage } from '../api'
import { errorAlert, loading } from '../components/messages'
import type { Ctx, Page } from '../context'
import { formatDate } from '../context'

/** A data: URL, so a download needs no object URL to revoke later. */
const dataUrl = (contentType: string, content: string) =>
  `data:${contentType || 'text/plain'};charset=utf-8,${encodeURIComponent(content)}`

export function mailboxPage(ctx: Ctx): Page {
  let messages: MailMessage[] | undefined
  let selectedId: string | undefined
  let loadError = ''

  async function load(): Promise<void> {
    try {
      messages = (await api.mailbox()).messages
      selectedId = messages.find((m) => m.id === selectedId)?.id ?? messages[0]?.id
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
  }

  function messageView(m: MailMessage) {
    return html`<article class="mail" data-testid="mail-body">
      <header>
        <h2 data-testid="mail-subject">${m.subject}</h2>
        <p class="muted">To ${m.toEmail ? `${m.to} <${m.toEmail}>` : m.to} · ${formatDate(m.createdAt)}</p>
      </header>
      <pre class="mail-text">${m.body}</pre>
      ${m.attachments.length
        ? html`<h3>Attachments (${m.attachments.length})</h3>
            ${m.attachments.map(
              (a) => html`<figure class="attachment" data-testid="mail-attachment">
                <figcaption>
                  <code>${a.filename}</code> <span class="muted">${a.contentType}</span>
                  <a href=${dataUrl(a.contentType, a.content)} download=${a.filename} data-testid="mail-attachment-download">Download</a>
                </figcaption>
                <pre>${a.content}</pre>
              </figure>`,
            )}`
        : nothing}
    </article>`
  }

  void load()
  return {
    title: 'Mailbox',
    view: () => {
      const selected = messages?.find((m) => m.id === selectedId)
      return html`
        <header class="page-head">
          <h1>Mailbox</h1>
          <p class="muted">Mail the console sends to <strong>${ctx.me.email}</strong>. In this simulator it stays here.</p>
          <button class="secondary small" data-testid="mail-refresh" @click=${() => void load()}>Refresh</button>
        </header>
        ${errorAlert(loadError)}
        ${messages === undefined
          ? loadError
            ? nothing
            : loading()
          : messages.length === 0
            ? html`<p class="muted card" data-testid="mail-empty">No mail yet.</p>`
            : html`<div class="mailbox">
                <ul class="mail-list" role="listbox" aria-label="Messages">
                  ${messages.map(
                    (m) => html`<li>
                      <button
                        role="option"
                        aria-selected=${m.id === selectedId ? 'true' : 'false'}
                        class=${m.id === selectedId ? 'mail-item selected' : 'mail-item'}
                        data-testid="mail-item"
                        @click=${() => {
                          selectedId = m.id
                          ctx.update()
                        }}
                      >
                        <span class="subject">${m.subject}</span>
                        <span class="muted">${formatDate(m.createdAt)}${m.attachments.length ? ` · ${m.attachments.length} attachment${m.attachments.length === 1 ? '' : 's'}` : ''}</span>
                      </button>
                    </li>`,
                  )}
                </ul>
                ${selected ? messageView(selected) : nothing}
              </div>`}
      `
    },
  }
}
