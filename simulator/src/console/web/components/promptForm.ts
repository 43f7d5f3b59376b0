/**
 * A small form that asks for one text before an action (a request message, a reason for
 * revoking): the field, its error, and Confirm / Cancel. The page keeps the draft and the
 * busy/error state; this only draws them.
 */
import { html, nothing } from 'lit-html'
import { errorAlert } from './messages'

export interface PromptFormOptions {
  label: string
  /** A textarea (three rows) instead of a one-line input. */
  multiline?: boolean
  maxLength?: number
  testIds: { field: string; error: string; confirm: string }
  value: string
  onInput: (value: string) => void
  error: string
  busy: boolean
  confirm: { label: string; className: 'primary' | 'danger' }
  onSubmit: () => void
  onCancel: () => void
}

export function promptForm(o: PromptFormOptions) {
  const onInput = (ev: Event) => o.onInput((ev.target as HTMLInputElement | HTMLTextAreaElement).value)
  return html`<form
    class="form"
    @submit=${(ev: Event) => {
      ev.preventDefault()
      o.onSubmit()
    }}
  >
    <label class="stack"
      >${o.label}
      ${o.multiline
        ? html`<textarea data-testid=${o.testIds.field} rows="3" maxlength=${o.maxLength ?? nothing} .value=${o.value} @input=${onInput}></textarea>`
        : html`<input type="text" data-testid=${o.testIds.field} maxlength=${o.maxLength ?? nothing} .value=${o.value} @input=${onInput} />`}
    </label>
    ${errorAlert(o.error, o.testIds.error)}
    <div class="row">
      <button type="submit" class=${o.confirm.className} data-testid=${o.testIds.confirm} ?disabled=${o.busy}>${o.confirm.label}</button>
      <button type="button" class="secondary" @click=${o.onCancel}>Cancel</button>
    </div>
  </form>`
}
