import type { TemplateResult } from 'lit-html'
import type { Capability, Me } from './api'
import type { Route } from './router'

/** What every page gets from the shell. */
export interface Ctx {
  me: Me
  route: Route
  can(capability: Capability): boolean
  /** Re-renders the whole console; pages call it after changing their own state. */
  update(): void
}

/** One page, created anew on every visit to its route; it loads its own data. */
export interface Page {
  title: string
  view(): TemplateResult
  /** Called when the shell leaves the page, so a page that holds a socket or a timer lets go of it. */
  close?(): void
}

export const formatDate = (iso: string | undefined): string =>
  iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : ''

/** With seconds: delivery retries are 15 s apart, and minutes alone would hide the order of attempts. */
export const formatTime = (iso: string | undefined): string =>
  iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' }) : ''

const moneyFormats = new Map<string, Intl.NumberFormat>()

/** Minor units to "$0.99"; en-US pinned so the text is the same on every machine. */
export function formatMoney(minor: number, currency = 'USD'): string {
  let format = moneyFormats.get(currency)
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency })
    } catch {
      // Not an ISO 4217 code: the number, then the code as given.
      return `${(minor / 100).toFixed(2)} ${currency}`
    }
    moneyFormats.set(currency, format)
  }
  return format.format(minor / 100)
}
