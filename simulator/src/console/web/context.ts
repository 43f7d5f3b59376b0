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
