import { isoTime, type Clock } from '../clock'
import { settleItemRelease, takeOffSale } from '../catalog/releases'
import { SimulatorError } from '../errors'
import type { Approval, ApprovalKind, ConsoleAccount, MiniGame } from '../store/model'
import type { Store } from '../store/store'
import { recordApproval } from './approvalQueue'
import { sendMail } from './mailbox'

const KIND_LABEL: Record<ApprovalKind, string> = {
  payment: 'Payment permission',
  exemption: 'Approval exemption for item releases',
  itemRelease: 'Item release',
}

/** Files a team's request with the superapp. Refuses a second pending one, or a request for what is already granted. */
export async function fileRequest(
  store: Store,
  clock: Clock,
  account: ConsoleAccount,
  game: MiniGame,
  kind: Exclude<ApprovalKind, 'itemRelease'>,
  message: string,
): Promise<Approval> {
  const label = kind === 'payment' ? 'payment permission' : 'the approval exemption for item releases'
  if (store.state.approvals.some((a) => a.appId === game.appId && a.kind === kind && a.status === 'pending')) {
    throw new SimulatorError('CONFLICT', `a request for ${label} of ${game.appId} is already pending with the superapp`)
  }
  const granted = kind === 'payment' ? game.paymentPermission === 'approved' : game.releaseExemption === 'approved'
  if (granted) throw new SimulatorError('CONFLICT', `${game.appId} already has ${label}`)
  if (kind === 'payment' && !store.state.teams.find((t) => t.id === game.teamId)?.merchant) {
    throw new SimulatorError('CONFLICT', 'the team has no bound merchant: bind a merchant before requesting payment permission')
  }
  return store.mutate((state) => {
    const approval = recordApproval(state, clock, account, game, kind, message)
    const stored = state.miniGames.find((g) => g.appId === game.appId)!
    if (kind === 'payment') stored.paymentPermission = 'pending'
    else stored.releaseExemption = 'pending'
    return approval
  })
}

/** The superapp approves or rejects a pending request; the requester is notified by mail. */
export async function decideRequest(
  store: Store,
  clock: Clock,
  account: ConsoleAccount,
  id: string,
  decision: 'approved' | 'rejected',
  reason: string | undefined,
): Promise<Approval> {
  const approval = store.state.approvals.find((a) => a.id === id)
  if (!approval) throw new SimulatorError('NOT_FOUND', `no request ${id}`)
  if (approval.status !== 'pending') throw new SimulatorError('CONFLICT', `request ${id} was already ${approval.status}`)
  return store.mutate((state) => {
    const stored = state.approvals.find((a) => a.id === id)!
    stored.status = decision
    stored.decidedBy = account.username
    stored.decidedAt = isoTime(clock)
    if (reason) stored.reason = reason
    const game = state.miniGames.find((g) => g.appId === stored.appId)
    if (game && stored.kind === 'payment') game.paymentPermission = decision
    if (game && stored.kind === 'exemption') game.releaseExemption = decision
    const settled = stored.kind === 'itemRelease' ? settleItemRelease(state, clock, stored, decision) : []
    const requester = state.accounts.find((a) => a.username === stored.requestedBy)
    if (requester) {
      const items = stored.kind === 'itemRelease' ? `\n\nItems: ${settled.length ? settled.join(', ') : 'none (they changed state since the request)'}` : ''
      sendMail(state, clock, requester, {
        subject: `${KIND_LABEL[stored.kind]} for ${game?.name ?? stored.appId}: ${decision}`,
        body: `Your request ${stored.id} was ${decision} by the superapp.${items}${reason ? `\n\nReason: ${reason}` : ''}`,
      })
    }
    return { ...stored }
  })
}

/**
 * The superapp revokes an exemption and, as the seed says, removes the game's released
 * items from sale. Returns how many items were removed.
 */
export async function revokeExemption(store: Store, clock: Clock, game: MiniGame, reason: string): Promise<number> {
  if (game.releaseExemption !== 'approved') throw new SimulatorError('CONFLICT', `${game.appId} holds no approval exemption to revoke`)
  return store.mutate((state) => {
    const stored = state.miniGames.find((g) => g.appId === game.appId)!
    stored.releaseExemption = 'revoked'
    let removed = 0
    for (const item of state.items) {
      if (item.appId === game.appId && takeOffSale(item, clock)) removed++
    }
    for (const admin of state.accounts.filter((a) => a.teamId === game.teamId && a.role === 'mp_admin')) {
      sendMail(state, clock, admin, {
        subject: `Approval exemption revoked for ${game.name}`,
        body: `The superapp revoked the approval exemption of ${game.name} (${game.appId}) and removed ${removed} released item(s) from sale.\n\nReason: ${reason}`,
      })
    }
    return removed
  })
}

/** A request as the console shows it: with its game's and team's names. */
export function describeApproval(store: Store, approval: Approval) {
  const game = store.state.miniGames.find((g) => g.appId === approval.appId)
  const team = store.state.teams.find((t) => t.id === approval.teamId)
  return { ...approval, miniGameName: game?.name ?? approval.appId, teamName: team?.name ?? approval.teamId }
}

