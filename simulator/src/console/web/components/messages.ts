/**
 * The one-line states every page shows around its data: an error, a success notice, an
 * empty list, "Loading…", and the dash of a cell with no value. A message that is '' renders
 * nothing, so a page writes `${errorAlert(listError, 'orders-error')}` without a condition.
 */
import { html, nothing, type TemplateResult } from 'lit-html'

/** role="alert": a screen reader announces the failure without the user looking for it. */
export function errorAlert(message: string, testId?: string): TemplateResult | typeof nothing {
  return message ? html`<p class="error" role="alert" data-testid=${testId ?? nothing}>${message}</p>` : nothing
}

export function successNotice(message: string, testId?: string): TemplateResult | typeof nothing {
  return message ? html`<p class="success" data-testid=${testId ?? nothing}>${message}</p>` : nothing
}

/** What stands in for a list with nothing in it; the text says why (a filter, no data yet). */
export function emptyState(text: unknown, testId?: string): TemplateResult {
  return html`<p class="muted" data-testid=${testId ?? nothing}>${text}</p>`
}

export function loading(): TemplateResult {
  return html`<p class="muted">Loading…</p>`
}

/** A cell or fact with no value: a dash, muted, rather than a blank that looks like a bug. */
export const noValue: TemplateResult = html`<span class="muted">—</span>`

/** "1 order", "3 orders": the counted nouns here all take an s. */
export const countOf = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`
