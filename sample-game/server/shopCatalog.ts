import { SHOP_ITEMS } from '../shared/catalog'
import type { CatalogSource, ReleasedItem } from './consoleCatalog'
import { errorMessage } from '@superapp-sim/game-sdk'

/** One item of the game's shop. */
export interface ShopEntry {
  productId: string
  name: string
  /** Minor units; what this server signs orders with. */
  price: number
  description: string
  color: string
  /** '' when the game draws the item itself. */
  imageUrl: string
  /** Whether the host had it on sale at the last sync. */
  released: boolean
}

/** Colours for items the game's own list does not know yet (added in the console). */
const PALETTE = ['#3fb5ff', '#ffc83d', '#6ee07a', '#c77dff', '#ff9f43', '#4dd0e1', '#f78fb3']

function colorFor(productId: string): string {
  let hash = 0
  for (const char of productId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return PALETTE[hash % PALETTE.length]!
}

/**
 * What the shop sells, as this server knows it: the host's released catalog (names, prices,
 * images) merged over the game's own list (colours, and items the game ships before they
 * are released, such as Dragon Egg, which the host refuses with -15013). Until a sync
 * succeeds, the game's own list stands alone.
 */
export class ShopCatalog {
  private released: ReleasedItem[] | undefined
  private pending: Promise<void> | undefined
  private lastError = ''

  constructor(
    private readonly source: CatalogSource | undefined,
    private readonly log: (message: string) => void,
  ) {}

  /** Reads the released catalog again. Concurrent calls share one read; a failure keeps the last good copy. */
  refresh(): Promise<void> {
    if (!this.source) return Promise.resolve()
    this.pending ??= this.source
      .fetchReleased()
      .then((items) => {
        this.released = items
        this.lastError = ''
      })
      .catch((error: unknown) => {
        const message = errorMessage(error)
        // Said once per outage, not on every shop visit.
        if (message !== this.lastError) this.log(`[sample-game] could not sync the item catalog from the console (${message}); using the last known list`)
        this.lastError = message
      })
      .finally(() => {
        this.pending = undefined
      })
    return this.pending
  }

  list(): ShopEntry[] {
    const released = this.released
    const own: ShopEntry[] = SHOP_ITEMS.map((local) => {
      const host = released?.find((r) => r.productId === local.productId)
      return host
        ? { ...host, color: local.color, released: true }
        : { productId: local.productId, name: local.name, price: local.price, description: local.description, color: local.color, imageUrl: '', released: released ? false : local.released }
    })
    const added = (released ?? [])
      .filter((r) => !SHOP_ITEMS.some((local) => local.productId === r.productId))
      .map((r) => ({ ...r, color: colorFor(r.productId), released: true }))
    return [...own, ...added]
  }

  find(productId: string): ShopEntry | undefined {
    return this.list().find((entry) => entry.productId === productId)
  }
}
