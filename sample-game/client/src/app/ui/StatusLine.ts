import { el } from './dom'

export type StatusState =
  | 'loading'
  | 'signed-in'
  | 'ordering'
  | 'paying'
  | 'waiting-delivery'
  | 'delivered'
  | 'delivery-late'
  | 'cancelled'
  | 'failed'
  | 'error'
  /** A refund took an item back (seen by the background inventory refresh). */
  | 'refunded'

/**
 * The one line that tells the player what is going on. `data-state` mirrors the text as a
 * stable keyword, so tests and styles need not parse English.
 */
export class StatusLine {
  readonly root: HTMLDivElement
  private readonly text: HTMLSpanElement
  private readonly retry: HTMLButtonElement
  private onRetry: (() => void) | undefined

  constructor() {
    this.text = el('span', { className: 'status-text', testId: 'game-status', attrs: { role: 'status', 'aria-live': 'polite' } })
    this.retry = el('button', { className: 'status-retry', text: 'Retry', testId: 'retry', attrs: { type: 'button' } })
    this.retry.hidden = true
    this.retry.addEventListener('click', () => this.onRetry?.())
    this.root = el('div', { className: 'status' }, [this.text, this.retry])
  }

  get state(): StatusState | undefined {
    return this.text.dataset.state as StatusState | undefined
  }

  set(state: StatusState, message: string, onRetry?: () => void): void {
    this.text.textContent = message
    this.text.dataset.state = state
    this.root.dataset.state = state
    this.onRetry = onRetry
    this.retry.hidden = !onRetry
  }
}
