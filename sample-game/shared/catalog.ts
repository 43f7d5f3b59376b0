/**
 * The sample game's own item list: its art (colours) and the items it ships. The demo data
 * registers them in the console from this list, the way a developer would enter them; from
 * then on the console is the authority on names and prices: the game server reads the
 * released catalog from the console's export (sample-game/server/shopCatalog.ts) and uses
 * these values only for items the host has not released, or while it cannot reach it.
 */
export interface ShopItem {
  productId: string
  name: string
  /** USD cents. */
  price: number
  description: string
  /** Colour of the item's art, in the game and in the console image. */
  color: string
  /** Whether the demo data releases it. An unreleased item shows how the host refuses it (-15013). */
  released: boolean
}

export const SHOP_ITEMS: readonly ShopItem[] = [
  { productId: 'gem_pack_small', name: 'Handful of Gems', price: 99, description: '100 gems', color: '#3fb5ff', released: true },
  { productId: 'golden_sword', name: 'Golden Sword', price: 299, description: 'Doubles your tap power', color: '#ffc83d', released: true },
  { productId: 'swift_boots', name: 'Swift Boots', price: 199, description: 'Gems fall faster', color: '#6ee07a', released: true },
  { productId: 'gem_chest', name: 'Chest of Gems', price: 499, description: '600 gems', color: '#c77dff', released: true },
  { productId: 'dragon_egg', name: 'Dragon Egg', price: 999, description: 'Not released yet', color: '#ff6b6b', released: false },
]

/** The demo mini game's credentials. Only the sample server and the simulator's demo data know them. */
export const SAMPLE_GAME = {
  appId: 'mg5a3f9c2e71d04b88',
  name: 'Gem Quest',
  appSecret: 'demo-app-secret-3b1f6a0c9d2e4f57',
  appKey: 'demo-app-key-8c4e2a7f1b9d3e60',
  currency: 'USD',
} as const

export function findShopItem(productId: string): ShopItem | undefined {
  return SHOP_ITEMS.find((item) => item.productId === productId)
}
