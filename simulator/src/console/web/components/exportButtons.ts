/** Export .xlsx and Export CSV: the same pair over the items, the orders and the refunds. */
import { html, nothing, type TemplateResult } from 'lit-html'

export type ExportFormat = 'xlsx' | 'csv'

export interface ExportButtonsOptions {
  /** The buttons' data-testids are `${prefix}-export-xlsx` and `${prefix}-export-csv`. */
  testIdPrefix: string
  disabled: boolean
  /** Says what goes into the file (every page, the range shown). */
  title?: string
  onExport(format: ExportFormat): void
}

export function exportButtons({ testIdPrefix, disabled, title, onExport }: ExportButtonsOptions): TemplateResult {
  return html`<button class="secondary" data-testid="${testIdPrefix}-export-xlsx" ?disabled=${disabled} title=${title ?? nothing} @click=${() => onExport('xlsx')}>
      Export .xlsx
    </button>
    <button class="secondary" data-testid="${testIdPrefix}-export-csv" ?disabled=${disabled} title=${title ?? nothing} @click=${() => onExport('csv')}>
      Export CSV
    </button>`
}

/** The notice once the file is saved. */
export const exportedNotice = (format: ExportFormat): string => `Exported as ${format === 'csv' ? 'CSV' : '.xlsx'}.`
