import { isoTime, type Clock } from '../clock'
import { SimulatorError } from '../errors'
import type { Item, ItemState, MiniGame, SimState } from '../store/model'
import type { Store } from '../store/store'
import { describeItem, type ItemView } from './itemView'
import { ITEM_STATES, type ItemChanges, type ItemFilter, type NewItem } from './schemas'

/** A mini game's items matching a filter, in the order they were added. */
export function matchingItems(state: Readonly<SimState>, game: MiniGame, filter: ItemFilter): Item[] {
  const q = filter.q?.toLowerCase()
  return state.items.filter(
    (item) =>
      item.appId === game.appId &&
      (!filter.state || item.state === filter.state) &&
      (!q || item.productId.toLowerCase().includes(q) || item.name.toLowerCase().includes(q)),
  )
}

export interface ItemPage {
  items: ItemView[]
  total: number
  page: number
  pageSize: number
  /** Items per state over the whole game, for the page's tabs. */
  counts: Record<ItemState, number>
}

export function listItems(state: Readonly<SimState>, game: MiniGame, query: ItemFilter & { page: number; pageSize: number }): ItemPage {
  const matching = matchingItems(state, game, query)
  const counts = Object.fromEntries(ITEM_STATES.map((s) => [s, 0])) as Record<ItemState, number>
  for (const item of state.items) if (item.appId === game.appId) counts[item.state] += 1
  const start = (query.page - 1) * query.pageSize
  return {
    items: matching.slice(start, start + query.pageSize).map(describeItem),
    total: matching.length,
    page: query.page,
    pageSize: query.pageSize,
    counts,
  }
}

export function findItem(state: Readonly<SimState>, game: MiniGame, productId: string): Item {
  const item = state.items.find((i) => i.appId === game.appId && i.productId === productId)
  if (!item) throw new SimulatorError('NOT_FOUND', `no item ${productId} in ${game.name} (${game.appId})`)
  return item
}

/**
 * An item waiting for the superapp is frozen: the request releases exactly what the team
 * submitted, so the superapp approves what it saw.
 */
export function assertEditable(item: Item): void {
  if (item.state === 'pending_release') {
    throw new SimulatorError('CONFLICT', `${item.productId} has a release request pending with the superapp (${item.releaseRequestId}): wait for its decision before editing it`)
  }
}

// Checks run inside the mutation, before anything changes: a refused call writes nothing,
// and no other change can slip between the check and the write.

export async function addItem(store: Store, clock: Clock, game: MiniGame, input: NewItem): Promise<ItemView> {
  return store.mutate((state) => {
    if (state.items.some((i) => i.appId === game.appId && i.productId === input.productId)) {
      throw new SimulatorError('CONFLICT', `${game.name} already has an item ${input.productId}: product IDs are unique per mini game`)
    }
    const now = isoTime(clock)
    const item: Item = { appId: game.appId, ...input, state: 'draft', createdAt: now, updatedAt: now }
    state.items.push(item)
    return describeItem(item)
  })
}

/** Changes the working copy. A released item stays on sale as released until the change is released too. */
export async function editItem(store: Store, clock: Clock, game: MiniGame, productId: string, changes: ItemChanges): Promise<ItemView> {
  return store.mutate((state) => {
    const item = findItem(state, game, productId)
    assertEditable(item)
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined))
    Object.assign(item, defined)
    item.updatedAt = isoTime(clock)
    return describeItem(item)
  })
}

/** Deletes an item that is not on sale (draft or removed); it leaves the list and its product ID is free again. */
export async function deleteItem(store: Store, game: MiniGame, productId: string): Promise<void> {
  await store.mutate((state) => {
    const item = findItem(state, game, productId)
    if (item.state === 'released' || item.state === 'pending_release') {
      const why = item.state === 'released' ? 'it is on sale: remove it first' : 'a release request is pending with the superapp'
      throw new SimulatorError('CONFLICT', `cannot delete ${productId}: ${why}`)
    }
    state.items = state.items.filter((i) => i !== item)
  })
}
