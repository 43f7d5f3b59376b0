/** A row of tabs over a list (item states, approval statuses), marked up as a tablist. */
import { html, type TemplateResult } from 'lit-html'

export interface TabsOptions<T extends string> {
  tabs: readonly T[]
  current: T
  /** Each tab's data-testid is `${prefix}-tab-${tab}`. */
  testIdPrefix: string
  label(tab: T): unknown
  select(tab: T): void
}

export function tabs<T extends string>({ tabs, current, testIdPrefix, label, select }: TabsOptions<T>): TemplateResult {
  return html`<nav class="tabs" role="tablist">
    ${tabs.map(
      (tab) => html`<button
        role="tab"
        class=${tab === current ? 'tab active' : 'tab'}
        aria-selected=${tab === current ? 'true' : 'false'}
        data-testid="${testIdPrefix}-tab-${tab}"
        @click=${() => select(tab)}
      >
        ${label(tab)}
      </button>`,
    )}
  </nav>`
}
