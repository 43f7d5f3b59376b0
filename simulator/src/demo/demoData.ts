import { SAMPLE_GAME, SHOP_ITEMS } from '../../../sample-game/shared/catalog'
import { emptyState, type SimState } from '../store/model'

export interface DemoOptions {
  /** Where the sample game (and its server) runs, e.g. http://127.0.0.1:7071. */
  sampleGameOrigin: string
}

export const DEMO_PLAYERS = [
  { id: 'player-1', nickname: 'Alex', avatarColor: '#4f8cff' },
  { id: 'player-2', nickname: 'Sam', avatarColor: '#ff8c4f' },
] as const

/**
 * Ready demo data: a superapp supporting USD, a team with a bound merchant, the sample
 * game approved for payment with its delivery URL on the sample server, its items (all
 * released but one), and two test players.
 */
export function demoState({ sampleGameOrigin }: DemoOptions): SimState {
  const state = emptyState()
  state.superapp = { name: 'Superapp Demo', currencies: ['USD'] }
  state.teams = [{ id: 'team-pixel-forge', name: 'Pixel Forge Studio', merchant: { mchId: '1900000109', name: 'Pixel Forge Ltd.' } }]
  state.miniGames = [
    {
      appId: SAMPLE_GAME.appId,
      name: SAMPLE_GAME.name,
      teamId: 'team-pixel-forge',
      appSecret: SAMPLE_GAME.appSecret,
      appKey: SAMPLE_GAME.appKey,
      paymentPermission: 'approved',
      delivery: {
        url: `${sampleGameOrigin}/api/delivery`,
        testUrl: `${sampleGameOrigin}/api/delivery`,
        enabled: true,
      },
      gameUrl: `${sampleGameOrigin}/`,
    },
  ]
  state.items = SHOP_ITEMS.map((item) => ({
    appId: SAMPLE_GAME.appId,
    productId: item.productId,
    name: item.name,
    price: item.price,
    // Relative to the simulator, so the data survives a change of port.
    imageUrl: `/media/items/${item.productId}.svg`,
    description: item.description,
    state: item.released ? 'released' : 'draft',
  }))
  state.players = DEMO_PLAYERS.map((p) => ({ ...p }))
  return state
}

/** A simple gem-like SVG per item, so the console and the payment sheet have real images. */
export function itemImageSvg(productId: string): string | undefined {
  const item = SHOP_ITEMS.find((i) => i.productId === productId)
  if (!item) return undefined
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1d2340"/>
  <polygon points="64,18 104,52 64,110 24,52" fill="${item.color}"/>
  <polygon points="64,18 84,52 64,110 44,52" fill="#ffffff" opacity="0.25"/>
  <polygon points="24,52 104,52 64,18" fill="#ffffff" opacity="0.18"/>
</svg>`
}
