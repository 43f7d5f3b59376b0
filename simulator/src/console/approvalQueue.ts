/**
 * The superapp's queue of pending requests, apart from how they are decided (approvals.ts):
 * item releases (catalog/releases.ts) file into it and approvals settle releases, so the
 * queue is the leaf both import.
 */
import { isoTime, type Clock } from '../clock'
import type { Approval, ApprovalKind, ConsoleAccount, MiniGame, SimState } from '../store/model'

/** Appends a pending request to the superapp's queue. Call inside a store mutation. */
export function recordApproval(
  state: SimState,
  clock: Clock,
  account: ConsoleAccount,
  game: MiniGame,
  kind: ApprovalKind,
  message: string,
  productIds?: string[],
): Approval {
  state.counters.approval += 1
  const approval: Approval = {
    id: `A${String(state.counters.approval).padStart(6, '0')}`,
    kind,
    appId: game.appId,
    teamId: game.teamId,
    message,
    status: 'pending',
    requestedBy: account.username,
    createdAt: isoTime(clock),
    ...(productIds ? { productIds: [...productIds] } : {}),
  }
  state.approvals.push(approval)
  return approval
}
