import { SimulatorError } from '../errors'
import type { ConsoleAccount, MiniGame } from '../store/model'
import type { Store } from '../store/store'
import { isSuperappRole } from './permissions'

/** The superapp's roles see every mini game; team members only their team's. */
export function visibleGames(store: Store, account: ConsoleAccount): readonly MiniGame[] {
  return isSuperappRole(account.role) ? store.state.miniGames : store.state.miniGames.filter((g) => g.teamId === account.teamId)
}

/** A mini game the account may see, else 404 (not 403: others' games do not exist for a team member). */
export function findVisibleGame(store: Store, account: ConsoleAccount, appId: string): MiniGame {
  const game = visibleGames(store, account).find((g) => g.appId === appId)
  if (!game) throw new SimulatorError('NOT_FOUND', `no mini game "${appId}" in your console`)
  return game
}
