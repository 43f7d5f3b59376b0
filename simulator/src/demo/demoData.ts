import { randomBytes } from 'node:crypto'
import { isoTime, systemClock, type Clock } from '../clock'
import { demoAccounts } from '../console/accounts'
import { applyCredentials, generateCredentials } from '../console/credentials'
import { DEMO_GAME, DEMO_ITEMS, DEMO_PLAYERS, DEMO_TEAM_ID, MOON_RUNNER_APP_ID, STAR_DRIFT_APP_ID } from './demoGame'
import { emptyState, type Item, type MiniGame, type SimState } from '../store/model'
import { itemKind, itemShapePaths } from './itemArt'

export interface DemoOptions {
  /** Where the sample game (and its server) runs, e.g. http://127.0.0.1:7071. */
  sampleGameOrigin: string
  clock?: Clock
}


function unconfiguredGame(appId: string, name: string, teamId: string): MiniGame {
  return {
    appId,
    name,
    teamId,
    appSecret: randomBytes(16).toString('hex'),
    appKey: '',
    paymentPermission: 'none',
    delivery: { url: '', testUrl: '', enabled: false },
    credentials: null,
    releaseExemption: 'none',
    gameUrl: '',
    requestDomains: [],
    allowLoopbackRequests: true,
  }
}

/**
 * Ready demo data: a superapp supporting USD; the team Pixel Forge with a bound merchant
 * and its game Gem Quest approved for payment, delivery configured to the sample server,
 * credentials issued (and "mailed" to mpadmin), items released but one; a second game of
 * the team not yet set up; another team's game; two test players; one console account
 * per role (password "password").
 */
export async function demoState({ sampleGameOrigin, clock = systemClock }: DemoOptions): Promise<SimState> {
  const state = emptyState()
  state.superapp = { name: 'Superapp Demo', currencies: ['USD'] }
  state.consoleSecret = randomBytes(32).toString('base64url')
  state.teams = [
    { id: DEMO_TEAM_ID, name: 'Pixel Forge Studio', merchant: { mchId: '1900000109', name: 'Pixel Forge Ltd.' } },
    { id: 'team-moonbeam', name: 'Moonbeam Games', merchant: null },
  ]
  const gemQuest: MiniGame = {
    appId: DEMO_GAME.appId,
    name: DEMO_GAME.name,
    teamId: DEMO_TEAM_ID,
    appSecret: DEMO_GAME.appSecret,
    appKey: '',
    paymentPermission: 'approved',
    delivery: { url: `${sampleGameOrigin}/api/delivery`, testUrl: `${sampleGameOrigin}/api/delivery`, enabled: true },
    credentials: null,
    releaseExemption: 'none',
    gameUrl: `${sampleGameOrigin}/`,
    requestDomains: [],
    allowLoopbackRequests: true,
  }
  state.miniGames = [
    gemQuest,
    unconfiguredGame(STAR_DRIFT_APP_ID, 'Star Drift', DEMO_TEAM_ID),
    unconfiguredGame(MOON_RUNNER_APP_ID, 'Moon Runner', 'team-moonbeam'),
  ]
  const seededAt = isoTime(clock)
  state.items = DEMO_ITEMS.map((item): Item => {
    const version = {
      name: item.name,
      price: item.price,
      // Relative to the simulator, so the data survives a change of port.
      imageUrl: `/media/items/${item.productId}.svg`,
      description: item.description,
    }
    return {
      appId: DEMO_GAME.appId,
      productId: item.productId,
      ...version,
      state: item.released ? 'released' : 'draft',
      ...(item.released ? { released: { ...version, releasedAt: seededAt } } : {}),
      createdAt: seededAt,
      updatedAt: seededAt,
    }
  })
  state.players = DEMO_PLAYERS.map((p) => ({ ...p }))
  state.accounts = await demoAccounts(DEMO_TEAM_ID)

  // Gem Quest went through the setup already: its credentials carry the sample server's fixed AppKey.
  const issued = await generateCredentials(clock, gemQuest)
  const mpadmin = state.accounts.find((a) => a.role === 'mp_admin')!
  applyCredentials(state, clock, gemQuest, { ...issued, appKey: DEMO_GAME.appKey }, mpadmin)
  return state
}

/** A simple SVG per item (its kind's shape, itemArt.ts), so the console and the payment sheet have real images. */
export function itemImageSvg(productId: string): string | undefined {
  const item = DEMO_ITEMS.find((i) => i.productId === productId)
  if (!item) return undefined
  const shape = itemShapePaths(itemKind(productId))
  if (shape) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1d2340"/>
  <g transform="translate(20 20) scale(3.667)" fill="${item.color}">${shape}</g>
</svg>`
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1d2340"/>
  <polygon points="64,18 104,52 64,110 24,52" fill="${item.color}"/>
  <polygon points="64,18 84,52 64,110 44,52" fill="#ffffff" opacity="0.25"/>
  <polygon points="24,52 104,52 64,18" fill="#ffffff" opacity="0.18"/>
</svg>`
}
