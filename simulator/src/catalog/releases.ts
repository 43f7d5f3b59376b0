import { isoTime, type Clock } from '../clock'
import { recordApproval } from '../console/approvalQueue'
import { SimulatorError } from '../errors'
import type { Approval, ConsoleAccount, Item, MiniGame, SimState } from '../store/model'
import type { Store } from '../store/store'
import { describeItem, type ItemView } from './itemView'
import { releasedVersionOf, unreleasedChanges, workingVersionOf } from './itemVersions'

export interface ReleaseOutcome {
  /** Released at once: the game holds the approval exemption. */
  released: ItemView[]
  /** Waiting for the superapp: the request filed in its approvals queue. */
  approval: Approval | null
}

/**
 * Releases a batch of items: at once when the game holds the approval exemption, otherwise
 * through a request in the superapp's approvals queue. All or nothing: one item that cannot
 * be released refuses the batch, naming every problem, and changes nothing.
 */
export async function releaseItems(
  store: Store,
  clock: Clock,
  account: ConsoleAccount,
  game: MiniGame,
  productIds: readonly string[],
  message: string | undefined,
): Promise<ReleaseOutcome> {
  // Checked inside the mutation, before anything changes: a refused batch writes nothing.
  return store.mutate((state) => {
    const items = findAll(state, game, productIds)
    const exempt = state.miniGames.find((g) => g.appId === game.appId)?.releaseExemption === 'approved'
    refuseIfAny(
      items.flatMap((item) => {
        const problem = releaseProblem(item)
        return problem ? [`${item.productId} ${problem}`] : []
      }),
      'nothing was released',
    )
    if (exempt) {
      for (const item of items) publish(item, clock)
      return { released: items.map(describeItem), approval: null }
    }
    const approval = recordApproval(state, clock, account, game, 'itemRelease', message || `Release ${productIds.length} item(s): ${productIds.join(', ')}`, [...productIds])
    for (const item of items) {
      item.state = 'pending_release'
      item.releaseRequestId = approval.id
      item.updatedAt = isoTime(clock)
    }
    return { released: [], approval: { ...approval } }
  })
}

/** Takes a batch of items off sale (all or nothing). Players can no longer buy them; paid orders keep their item. */
export async function removeItems(store: Store, clock: Clock, game: MiniGame, productIds: readonly string[]): Promise<ItemView[]> {
  return store.mutate((state) => {
    const items = findAll(state, game, productIds)
    refuseIfAny(
      items.flatMap((item) => {
        if (item.state === 'released') return []
        if (item.state === 'pending_release') return [`${item.productId} has a release request pending with the superapp: wait for its decision`]
        if (item.state === 'removed') return [`${item.productId} is already removed`]
        return [`${item.productId} is not on sale (draft): delete it instead`]
      }),
      'nothing was removed',
    )
    for (const item of items) takeOffSale(item, clock)
    return items.map(describeItem)
  })
}

/**
 * Takes one item off sale (removal, or the superapp revoking the exemption). Returns false
 * when it was not on sale. Call inside a store mutation.
 */
export function takeOffSale(item: Item, clock: Clock): boolean {
  if (!releasedVersionOf(item)) return false
  item.state = 'removed'
  delete item.released
  delete item.releaseRequestId
  item.updatedAt = isoTime(clock)
  return true
}

/**
 * Applies the superapp's decision on an item release request to the items still waiting
 * on it: approved publishes the working copy; rejected sends them back (to released when
 * an earlier version is on sale, else to draft). Returns their product IDs. Call inside a
 * store mutation.
 */
export function settleItemRelease(state: SimState, clock: Clock, approval: Approval, decision: 'approved' | 'rejected'): string[] {
  const waiting = state.items.filter((i) => i.appId === approval.appId && i.releaseRequestId === approval.id)
  for (const item of waiting) {
    delete item.releaseRequestId
    if (decision === 'approved') publish(item, clock)
    else {
      item.state = item.released ? 'released' : 'draft'
      item.updatedAt = isoTime(clock)
    }
  }
  return waiting.map((i) => i.productId)
}

/** The working copy becomes the version on sale. */
function publish(item: Item, clock: Clock): void {
  const now = isoTime(clock)
  item.released = { ...workingVersionOf(item), releasedAt: now }
  item.state = 'released'
  delete item.releaseRequestId
  item.updatedAt = now
}

function releaseProblem(item: Item): string | undefined {
  if (item.state === 'pending_release') return 'already has a release request pending with the superapp'
  if (item.state === 'released' && unreleasedChanges(item).length === 0) return 'is released and has no changes to release'
  if (!item.imageUrl) return 'has no image: upload one or set an image URL first'
  return undefined
}

function findAll(state: SimState, game: MiniGame, productIds: readonly string[]): Item[] {
  const found = productIds.map((productId) => state.items.find((i) => i.appId === game.appId && i.productId === productId))
  const missing = productIds.filter((_, index) => !found[index])
  if (missing.length) throw new SimulatorError('NOT_FOUND', `no item ${missing.join(', ')} in ${game.name} (${game.appId}); nothing was changed`)
  return found as Item[]
}

function refuseIfAny(problems: string[], outcome: string): void {
  if (problems.length) throw new SimulatorError('CONFLICT', `${problems.join('; ')}; ${outcome}`)
}
