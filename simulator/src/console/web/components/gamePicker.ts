/**
 * The mini game a page shows. Choosing one navigates (`#path?appId=…`) rather than changing
 * state in place, so the choice is in the address: a reload or a shared link opens the same game.
 */
import { html, type TemplateResult } from 'lit-html'
import type { MiniGame } from '../api'
import { navigate } from '../router'

export interface GamePickerOptions {
  testId: string
  games: readonly MiniGame[]
  current: MiniGame | undefined
  /** The page's own route. */
  path: string
}

export function gamePicker({ testId, games, current, path }: GamePickerOptions): TemplateResult {
  return html`<label class="field"
    >Mini game
    <select data-testid=${testId} @change=${(e: Event) => navigate(path, { appId: (e.target as HTMLSelectElement).value })}>
      ${games.map((g) => html`<option value=${g.appId} ?selected=${g.appId === current?.appId}>${g.name} (${g.appId})</option>`)}
    </select>
  </label>`
}
