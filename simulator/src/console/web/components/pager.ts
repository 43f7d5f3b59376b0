/** The line under a list: how many there are and, for a list read a page at a time, the page controls. */
import { html, nothing, type TemplateResult } from 'lit-html'
import { countOf } from './messages'

export interface PagerOptions {
  /** data-testid prefix: `${prefix}-total`, `${prefix}-prev`, `${prefix}-page`, `${prefix}-next`. */
  testIdPrefix: string
  total: number
  /** What is counted, singular: "order" gives "1 order", "3 orders". */
  noun: string
  /** Left out for a list shown whole: the total alone. */
  paging?: {
    page: number
    pageSize: number
    turn(by: -1 | 1): void
    /** Without it the buttons stay, disabled, so the total does not jump about as filters change. */
    hideOnSinglePage?: boolean
  }
}

export function pager({ testIdPrefix, total, noun, paging }: PagerOptions): TemplateResult {
  const count = html`<span class="muted" data-testid="${testIdPrefix}-total">${countOf(total, noun)}</span>`
  if (!paging) return html`<div class="row pager">${count}</div>`
  const pages = Math.max(1, Math.ceil(total / paging.pageSize))
  const { page, turn } = paging
  return html`<div class="row pager">
    ${count}
    ${pages > 1 || !paging.hideOnSinglePage
      ? html`<button class="secondary small" data-testid="${testIdPrefix}-prev" ?disabled=${page <= 1} @click=${() => turn(-1)}>Previous</button>
          <span class="muted" data-testid="${testIdPrefix}-page">Page ${page} of ${pages}</span>
          <button class="secondary small" data-testid="${testIdPrefix}-next" ?disabled=${page >= pages} @click=${() => turn(1)}>Next</button>`
      : nothing}
  </div>`
}
