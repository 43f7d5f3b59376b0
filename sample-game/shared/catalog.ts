/**
 * The sample game's items. Gem Quest is the simulator's demo mini game: its AppID, keys
 * and items come from the simulator's public demo fixture, as an outside game reads the
 * values its own console shows. From the moment the demo is set up, the console is the
 * authority on names and prices: the game server reads the released catalog from the
 * console's export (sample-game/server/shopCatalog.ts) and uses these values only for
 * items the host has not released, or while it cannot reach it.
 */
import { DEMO_GAME, DEMO_ITEMS, type DemoItem } from '@superapp-sim/simulator/fixtures'

export type ShopItem = DemoItem

export const SHOP_ITEMS: readonly ShopItem[] = DEMO_ITEMS

/** The demo mini game's credentials. Only the sample server and the simulator's demo data know them. */
export const SAMPLE_GAME = DEMO_GAME

