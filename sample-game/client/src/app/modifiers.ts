import type { InventoryItem } from '../api'
import type { PlayModifiers } from './screens/MainScreen'

/** What each owned item does to the play; the descriptions in the catalog promise this. */
export function modifiersFrom(items: readonly InventoryItem[]): PlayModifiers {
  const owned = (productId: string) => items.find((item) => item.productId === productId)?.quantity ?? 0
  return {
    tapPower: owned('golden_sword') > 0 ? 2 : 1,
    fallSpeed: owned('swift_boots') > 0 ? 1.5 : 1,
    bonusGems: owned('gem_pack_small') * 100 + owned('gem_chest') * 600,
  }
}
