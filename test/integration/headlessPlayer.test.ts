import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SheetOpenPayload } from '@superapp-sim/game-sdk'
import { GameSdkError } from '@superapp-sim/game-sdk'
import type { MidasPaymentGameItemResult, RequestMidasPaymentGameItemOption } from '@superapp-sim/game-sdk'
import { connectHeadlessPlayer, type HeadlessPlayer, type HeadlessPlayerOptions } from '@superapp-sim/game-sdk/node'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import {
  createTestGameServer,
  loadGameCredentials,
  purchaseCases,
  runPrefix,
  type GameCredentials,
  type PurchaseDriver,
  type TestGameServer,
} from '../shared/purchaseFlow'

/**
 * The headless player (game-sdk/src/node) against a real simulator: first the purchase
 * suite every transport must pass with the same bytes, then what only a headless player has
 * (the sheet option, answerSheet, the connection's life).
 */

/** Demo data points deliveries at the sample game; nothing listens on port 1, so they fail quietly. */
const NO_GAME_SERVER = 'http://127.0.0.1:1'
const appId = DEMO_GAME.appId

let sim: RunningSimulator
let credentials: GameCredentials
const players: HeadlessPlayer[] = []

beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {}, sampleGameOrigin: NO_GAME_SERVER })
  credentials = await loadGameCredentials(sim.url, appId)
})
afterAll(async () => {
  await Promise.all(players.map((player) => player.close()))
  await sim?.close()
})

/** A sandbox of its own with fresh demo data, so no test sees another's orders or open sheets. */
async function freshSandbox(name: string, simulator: RunningSimulator = sim): Promise<string> {
  const response = await fetch(`${simulator.url}/sandbox/${name}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (!response.ok) throw new Error(`reset of sandbox ${name} answered HTTP ${response.status}: ${await response.text()}`)
  return `${simulator.url}/sandbox/${name}`
}

async function connect(options: Partial<HeadlessPlayerOptions> & { simulatorUrl: string }): Promise<HeadlessPlayer> {
  const player = await connectHeadlessPlayer({ appId, playerId: 'player-1', ...options })
  players.push(player)
  return player
}

/** The next sheet the host opens for this player. */
function nextSheet(player: HeadlessPlayer): Promise<SheetOpenPayload> {
  return new Promise((resolve) => {
    const stop = player.onSheet((open) => {
      stop()
      resolve(open)
    })
  })
}

function gameServer(simulatorUrl: string): TestGameServer {
  return createTestGameServer({ simulatorUrl, credentials, outTradeNoPrefix: runPrefix('HL') })
}

/** The game's server signs one order of `productId` for a freshly logged-in player. */
async function signedOrder(player: HeadlessPlayer, game: TestGameServer, productId = 'gem_pack_small', goodsPrice = 99) {
  const sessionKey = await game.sessionKey(await player.payments.login())
  const { signData, paySig, signature } = game.sign(sessionKey, { productId, goodsPrice })
  return { signData, paySig, signature }
}

/** The shared suite's driver: the sheet answered by this player, as the case asks. */
function headlessDriver(player: HeadlessPlayer): PurchaseDriver {
  return {
    login: () => player.payments.login(),
    pay(params, answer) {
      const stop = player.onSheet((open) => {
        stop()
        // A sheet where none may open is cancelled: the case then sees errCode 1 and fails, and the player is not left blocked.
        player.answerSheet(open.sheet.orderNo, answer === 'none' ? 'cancel' : answer)
      })
      return new Promise<unknown>((resolve) =>
        // Cast: params are passed as the case made them, a non-string signData included.
        player.wx.requestMidasPaymentGameItem({ ...(params as unknown as RequestMidasPaymentGameItemOption), success: resolve, fail: resolve }),
      ).finally(stop)
    },
  }
}

describe('the shared purchase suite over the headless player (WebSocket)', () => {
  let driver: PurchaseDriver
  let game: TestGameServer
  beforeAll(async () => {
    const simulatorUrl = await freshSandbox('shared-suite')
    driver = headlessDriver(await connect({ simulatorUrl, sheet: 'manual' }))
    game = gameServer(simulatorUrl)
  })

  for (const purchaseCase of purchaseCases) {
    it(purchaseCase.name, async () => {
      const { actual, expected } = await purchaseCase.run({ driver, game, credentials })
      expect(actual).toEqual(expected)
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
    })
  }
})

describe('the headless player', () => {
  it('reports through success, fail and complete when callbacks are given, and returns nothing', async () => {
    const simulatorUrl = await freshSandbox('hl-callbacks')
    const player = await connect({ simulatorUrl })
    const game = gameServer(simulatorUrl)
    let code = ''
    const login = await new Promise<unknown[]>((resolve) => {
      const seen: unknown[] = []
      const returned = player.wx.login({
        success: (r) => {
          code = r.code
          seen.push(['success', r])
        },
        fail: (r) => seen.push(['fail', r]),
        complete: (r) => resolve([returned, ...seen, ['complete', r]]),
      })
    })
    expect(login).toEqual([undefined, ['success', { code, errMsg: 'login:ok' }], ['complete', { code, errMsg: 'login:ok' }]])

    const { signData, paySig, signature } = game.sign(await game.sessionKey(code), {})
    const pay = (option: { signData: string; paySig: string; signature: string }) =>
      new Promise<unknown[]>((resolve) => {
        const seen: unknown[] = []
        const returned = player.wx.requestMidasPaymentGameItem({
          ...option,
          success: (r) => seen.push(['success', r]),
          fail: (r) => seen.push(['fail', r]),
          complete: (r) => resolve([returned, ...seen, ['complete', r]]),
        })
      })
    expect(await pay({ signData, paySig, signature })).toEqual([
      undefined,
      ['success', { errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok' }],
      ['complete', { errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok' }],
    ])
    expect(await pay({ signData, paySig, signature })).toEqual([
      undefined,
      ['fail', { errCode: -15007, errMsg: expect.stringContaining('is already paid') }],
      ['complete', { errCode: -15007, errMsg: expect.stringContaining('is already paid') }],
    ])
  })

  it('returns promises without callbacks: resolved on success, rejected with the fail result', async () => {
    const simulatorUrl = await freshSandbox('hl-promises')
    const player = await connect({ simulatorUrl })
    const game = gameServer(simulatorUrl)
    const login = await player.wx.login()
    expect(login).toEqual({ code: expect.any(String), errMsg: 'login:ok' })
    const sessionKey = await game.sessionKey(login!.code)

    const paid = await player.wx.requestMidasPaymentGameItem(game.sign(sessionKey, {}))
    expect(paid).toEqual({ errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok' })
    await expect(player.wx.requestMidasPaymentGameItem(game.sign(sessionKey, { productId: 'dragon_egg', goodsPrice: 999 }))).rejects.toEqual({
      errCode: -15013,
      errMsg: 'requestMidasPaymentGameItem:fail item dragon_egg is not released',
    })
  })

  it("answers every sheet left to it with 'cancel' when told so", async () => {
    const simulatorUrl = await freshSandbox('hl-cancel')
    const player = await connect({ simulatorUrl, sheet: 'cancel' })
    const opened = nextSheet(player)
    const outcome = await player.payments.purchase(await signedOrder(player, gameServer(simulatorUrl)))
    expect(outcome).toEqual({ status: 'cancelled', errCode: 1, errMsg: 'requestMidasPaymentGameItem:fail cancel' })
    expect((await opened).answeredBy).toBe('player')
  })

  it('lets a function decide each sheet from what the sheet shows', async () => {
    const simulatorUrl = await freshSandbox('hl-decider')
    const decided: string[] = []
    const player = await connect({
      simulatorUrl,
      sheet: async ({ sheet }) => {
        decided.push(`${sheet.productId} ${sheet.totalPrice} ${sheet.currency}`)
        return sheet.totalPrice > 100 ? 'cancel' : 'confirm'
      },
    })
    const game = gameServer(simulatorUrl)
    const opened = nextSheet(player)
    expect(await player.payments.purchase(await signedOrder(player, game))).toEqual({ status: 'paid', errMsg: 'requestMidasPaymentGameItem:ok' })
    expect(await opened).toMatchObject({
      callId: expect.any(String),
      sheet: { productId: 'gem_pack_small', name: 'Handful of Gems', quantity: 1, unitPrice: 99, totalPrice: 99, currency: 'USD', gameName: DEMO_GAME.name, sandbox: false },
      answeredBy: 'player',
      policy: { policy: 'manual' },
    })
    expect(await player.payments.purchase(await signedOrder(player, game, 'golden_sword', 299))).toMatchObject({ status: 'cancelled', errCode: 1 })
    expect(decided).toEqual(['gem_pack_small 99 USD', 'golden_sword 299 USD'])
  })

  it("ends the connection when the sheet function throws, so the pending call fails with the function's error", async () => {
    const simulatorUrl = await freshSandbox('hl-decider-throws')
    const player = await connect({
      simulatorUrl,
      sheet: () => {
        throw new Error('no answer for this sheet')
      },
    })
    const outcome = await player.payments.purchase(await signedOrder(player, gameServer(simulatorUrl)))
    expect(outcome).toEqual({
      status: 'failed',
      errCode: -1,
      errMsg: 'requestMidasPaymentGameItem:fail connection closed (4000 sheet option failed: no answer for this sheet)',
      reason: 'system failure',
    })
    expect(await player.closed).toEqual({ code: 4000, reason: 'sheet option failed: no answer for this sheet' })
  })

  it("waits for answerSheet() with sheet 'manual', and accepts one answer per sheet", async () => {
    const simulatorUrl = await freshSandbox('hl-manual')
    const player = await connect({ simulatorUrl, sheet: 'manual' })
    const opened = nextSheet(player)
    const purchase = player.payments.purchase(await signedOrder(player, gameServer(simulatorUrl)))
    const { sheet } = await opened
    expect(() => player.answerSheet('NOSUCHORDER', 'confirm')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`sheet NOSUCHORDER is not waiting for this player's answer (sheets waiting: ${sheet.orderNo})`) }),
    )
    player.answerSheet(sheet.orderNo, 'confirm')
    expect(() => player.answerSheet(sheet.orderNo, 'cancel')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(await purchase).toEqual({ status: 'paid', errMsg: 'requestMidasPaymentGameItem:ok' })
  })

  it("fails the call waiting on a sheet with 'connection closed (4001 sandbox reset)' when the sandbox is reset", async () => {
    const simulatorUrl = await freshSandbox('hl-reset')
    const player = await connect({ simulatorUrl, sheet: 'manual' })
    const opened = nextSheet(player)
    const purchase = player.wx.requestMidasPaymentGameItem(await signedOrder(player, gameServer(simulatorUrl))) as Promise<MidasPaymentGameItemResult>
    await opened
    // Watched before the reset: the call fails while the reset is still closing sockets.
    const failed = expect(purchase).rejects.toEqual({ errMsg: 'requestMidasPaymentGameItem:fail connection closed (4001 sandbox reset)', errCode: -1 })
    await freshSandbox('hl-reset')
    await failed
    expect(await player.closed).toEqual({ code: 4001, reason: 'sandbox reset' })
    expect(() => player.answerSheet('ANY', 'confirm')).toThrow(expect.objectContaining({ code: 'TRANSPORT_CLOSED' }))
  })

  it('fails the call waiting on a sheet when the simulator stops, instead of hanging', async () => {
    const own = await startSimulator({ port: 0, memory: true, log: () => {}, sampleGameOrigin: NO_GAME_SERVER })
    let stopped = false
    try {
      const player = await connectHeadlessPlayer({ simulatorUrl: own.url, appId, playerId: 'player-2', sheet: 'manual' })
      const game = createTestGameServer({ simulatorUrl: own.url, credentials, outTradeNoPrefix: runPrefix('HS') })
      const opened = nextSheet(player)
      const purchase = player.payments.purchase(await signedOrder(player, game))
      await opened
      await own.close()
      stopped = true
      expect(await purchase).toEqual({
        status: 'failed',
        errCode: -1,
        errMsg: 'requestMidasPaymentGameItem:fail connection closed (1001 simulator stopping)',
        reason: 'system failure',
      })
      expect(await player.closed).toEqual({ code: 1001, reason: 'simulator stopping' })
    } finally {
      if (!stopped) await own.close()
    }
  })

  it("rejects with CONNECT_FAILED and the host's reason for an unknown sandbox, game or player", async () => {
    const refusal = (options: Pick<HeadlessPlayerOptions, 'simulatorUrl' | 'appId' | 'playerId'>) =>
      connectHeadlessPlayer(options).then(
        () => 'connected',
        (error: unknown) => (error instanceof GameSdkError ? `${error.code}: ${error.message}` : error),
      )
    const socketUrl = (simulatorUrl: string, app: string, player: string) => `${simulatorUrl.replace('http:', 'ws:')}/host/ws?appId=${app}&playerId=${player}`
    const simulatorUrl = await freshSandbox('hl-refusals')
    const nowhere = `${sim.url}/sandbox/no-such-sandbox`
    expect(await refusal({ simulatorUrl: nowhere, appId, playerId: 'player-1' })).toBe(
      `CONNECT_FAILED: [game-sdk] the host refused the connection to ${socketUrl(nowhere, appId, 'player-1')} (HTTP 404): no sandbox "no-such-sandbox": create it with POST /sandbox/no-such-sandbox/_sim/reset {"fixture":"demo"}`,
    )
    expect(await refusal({ simulatorUrl, appId, playerId: 'nobody' })).toBe(
      `CONNECT_FAILED: [game-sdk] the host refused the connection to ${socketUrl(simulatorUrl, appId, 'nobody')} (HTTP 404): no player "nobody" in sandbox hl-refusals (players: player-1, player-2)`,
    )
    expect(await refusal({ simulatorUrl, appId: 'mg-unknown', playerId: 'player-1' })).toBe(
      `CONNECT_FAILED: [game-sdk] the host refused the connection to ${socketUrl(simulatorUrl, 'mg-unknown', 'player-1')} (HTTP 404): no mini game "mg-unknown" in sandbox hl-refusals`,
    )
  })
})
