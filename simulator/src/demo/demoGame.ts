/**
 * The demo fixture's mini game, Gem Quest, and its items: what the `demo` fixture
 * registers in the console, the way a developer would enter them. The sample game is
 * built against this game; it reads these values through the package's public
 * `@superapp-sim/simulator/fixtures` entry, as any outside game could. Pure data: no
 * Node built-ins, so a browser bundle may import it.
 */
import type { RoleId } from '../store/model'

export interface DemoItem {
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

export const DEMO_ITEMS: readonly DemoItem[] = [
  { productId: 'gem_pack_small', name: 'Handful of Gems', price: 99, description: '100 gems', color: '#3fb5ff', released: true },
  { productId: 'golden_sword', name: 'Golden Sword', price: 299, description: 'Doubles your tap power', color: '#ffc83d', released: true },
  { productId: 'swift_boots', name: 'Swift Boots', price: 199, description: 'Gems fall faster', color: '#6ee07a', released: true },
  { productId: 'gem_chest', name: 'Chest of Gems', price: 499, description: '600 gems', color: '#c77dff', released: true },
  { productId: 'dragon_egg', name: 'Dragon Egg', price: 999, description: 'Not released yet', color: '#ff6b6b', released: false },
]

/** The demo mini game's credentials, as the console shows them after the demo's set-up. */
export const DEMO_GAME = {
  appId: 'mg5a3f9c2e71d04b88',
  name: 'Gem Quest',
  appSecret: 'demo-app-secret-3b1f6a0c9d2e4f57',
  appKey: 'demo-app-key-8c4e2a7f1b9d3e60',
  currency: 'USD',
} as const

export const DEMO_PLAYERS = [
  { id: 'player-1', nickname: 'Alex', avatarColor: '#4f8cff' },
  { id: 'player-2', nickname: 'Sam', avatarColor: '#ff8c4f' },
] as const

/** The demo team, Pixel Forge Studio, which owns Gem Quest and Star Drift. */
export const DEMO_TEAM_ID = 'team-pixel-forge'
/** A second game of the demo team, not yet approved for payment: for rehearsing the console's setup. */
export const STAR_DRIFT_APP_ID = 'mg2b7e4d9a05c13f66'
/** A game of another team: team members of Pixel Forge must not see it. */
export const MOON_RUNNER_APP_ID = 'mg7f0a3c5e91b2d448'

/** The password of every demo console account. */
export const DEMO_PASSWORD = 'password'

/** One demo console account per role of the seed; `team`: belongs to Pixel Forge. */
export const DEMO_ACCOUNTS: readonly { username: string; role: RoleId; email: string; team: boolean }[] = [
  { username: 'superadmin', role: 'super_admin', email: 'superadmin@superapp.example', team: false },
  { username: 'platformadmin', role: 'platform_admin', email: 'platformadmin@superapp.example', team: false },
  { username: 'mpadmin', role: 'mp_admin', email: 'mpadmin@pixelforge.example', team: true },
  { username: 'seniordev', role: 'mp_senior_dev', email: 'seniordev@pixelforge.example', team: true },
  { username: 'developer', role: 'mp_developer', email: 'developer@pixelforge.example', team: true },
  { username: 'operator', role: 'mp_operator', email: 'operator@pixelforge.example', team: true },
]
