/**
 * The row of filters above a list, built from field descriptors. Each field shows what the
 * page holds and hands back what the user chose; the page decides when to reload (at once for
 * a date or a select, once typing pauses for a search, as it sees fit).
 */
import { html, nothing, type TemplateResult } from 'lit-html'

/** YYYY-MM-DD each, as <input type="date"> has them; '' for an open end. */
export interface DateRange {
  from: string
  to: string
}

/** A from and a to date, each its own labelled input (a screen reader names each end). */
export interface DateRangeField {
  kind: 'dateRange'
  labels: readonly [from: string, to: string]
  testIds: readonly [from: string, to: string]
  value: DateRange
  onChange(change: Partial<DateRange>): void
}

/** A select whose first option, "All", has the value ''. */
export interface SelectField {
  kind: 'select'
  label: string
  testId: string
  value: string
  options: readonly { value: string; label: string }[]
  onChange(value: string): void
}

export interface SearchField {
  kind: 'search'
  /** Without one the input stands alone and its placeholder names it. */
  label?: string
  testId: string
  placeholder: string
  maxLength?: number
  /** Takes the room left in the row. */
  grow?: boolean
  value: string
  onInput(value: string): void
}

export type FilterField = DateRangeField | SelectField | SearchField

const valueOf = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value

function dateRangeField(field: DateRangeField): TemplateResult {
  const [fromLabel, toLabel] = field.labels
  const [fromTestId, toTestId] = field.testIds
  return html`<label class="field"
      >${fromLabel}
      <input type="date" data-testid=${fromTestId} .value=${field.value.from} @change=${(e: Event) => field.onChange({ from: valueOf(e) })} />
    </label>
    <label class="field"
      >${toLabel}
      <input type="date" data-testid=${toTestId} .value=${field.value.to} @change=${(e: Event) => field.onChange({ to: valueOf(e) })} />
    </label>`
}

function selectField(field: SelectField): TemplateResult {
  return html`<label class="field"
    >${field.label}
    <select data-testid=${field.testId} @change=${(e: Event) => field.onChange(valueOf(e))}>
      <option value="" ?selected=${field.value === ''}>All</option>
      ${field.options.map((option) => html`<option value=${option.value} ?selected=${field.value === option.value}>${option.label}</option>`)}
    </select>
  </label>`
}

function searchField(field: SearchField): TemplateResult {
  const input = html`<input
    type="search"
    data-testid=${field.testId}
    placeholder=${field.placeholder}
    maxlength=${field.maxLength ?? nothing}
    .value=${field.value}
    @input=${(e: Event) => field.onInput(valueOf(e))}
  />`
  if (field.label === undefined) return input
  return html`<label class=${field.grow ? 'field grow' : 'field'}>${field.label} ${input}</label>`
}

function fieldView(field: FilterField): TemplateResult {
  switch (field.kind) {
    case 'dateRange':
      return dateRangeField(field)
    case 'select':
      return selectField(field)
    case 'search':
      return searchField(field)
  }
}

/** `actions` go at the end of the row (a Refresh button). */
export function filterBar(fields: readonly FilterField[], actions: unknown = nothing): TemplateResult {
  return html`<div class="row filters">${fields.map(fieldView)} ${actions}</div>`
}
