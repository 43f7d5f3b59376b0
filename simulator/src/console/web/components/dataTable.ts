/**
 * The console's results table, built from column descriptors: a header and a render function
 * per cell. Rows may open a detail row under them, or carry an inline form (a confirmation,
 * a rejection reason), both spanning the whole width.
 */
import { html, nothing, type TemplateResult } from 'lit-html'

export interface Column<T> {
  /** Text, or a template (a select-all box); '' for a column that needs no header. */
  header: string | TemplateResult
  cell(row: T): unknown
  /** style.css: 'message' caps a long text's width, 'actions' sets buttons to the right. */
  className?: string
  /** For a cell the tests read on its own (a price, an amount). */
  testId?(row: T): string
}

export interface DataTableOptions<T> {
  /** Added to "table" for the page's own column styles (orders, items, …). */
  className?: string
  columns: readonly Column<T>[]
  rows: readonly T[]
  rowTestId(row: T): string
  /** Not used with `expand`: an expandable row's class says whether it is open. */
  rowClass?(row: T): string
  /**
   * Rows open their details in a full-width row right under them, so a long log never
   * scrolls away from its row. The row is focusable and opens on Enter or Space too.
   */
  expand?: {
    isOpen(row: T): boolean
    toggle(row: T): void
    detail(row: T): unknown
  }
  /** A form under the row (a confirmation, a reason to give); undefined for none. */
  inlineForm?(row: T): TemplateResult | undefined
}

export function dataTable<T>(options: DataTableOptions<T>): TemplateResult {
  const { columns, expand } = options
  const fullWidth = (className: string, content: unknown) => html`<tr class=${className}>
    <td colspan=${columns.length}>${content}</td>
  </tr>`

  const bodyRow = (row: T) => {
    const open = expand?.isOpen(row) ?? false
    const form = options.inlineForm?.(row)
    return html`<tr
        class=${expand ? (open ? 'clickable selected' : 'clickable') : (options.rowClass?.(row) ?? nothing)}
        data-testid=${options.rowTestId(row)}
        tabindex=${expand ? '0' : nothing}
        aria-expanded=${expand ? String(open) : nothing}
        @click=${expand ? () => expand.toggle(row) : nothing}
        @keydown=${expand
          ? (e: KeyboardEvent) => {
              if (e.key !== 'Enter' && e.key !== ' ') return
              e.preventDefault() // Space would scroll the page too.
              expand.toggle(row)
            }
          : nothing}
      >
        ${columns.map((column) => html`<td class=${column.className ?? nothing} data-testid=${column.testId?.(row) ?? nothing}>${column.cell(row)}</td>`)}
      </tr>
      ${open && expand ? fullWidth('detail-row', expand.detail(row)) : nothing} ${form ? fullWidth('inline-form', form) : nothing}`
  }

  return html`<table class=${options.className ? `table ${options.className}` : 'table'}>
    <thead>
      <tr>
        ${columns.map((column) => html`<th>${column.header}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${options.rows.map(bodyRow)}
    </tbody>
  </table>`
}
