import { randomBytes } from 'node:crypto'
import { GameSdkError } from '@superapp-sim/game-sdk'
import { signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { createHostClient, signOrder } from '@superapp-sim/game-sdk/server'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'

/**
 * One purchase suite for every way a game reaches the host: the browser shell over
 * postMessage (test/e2e/sharedPurchase.spec.ts) and the headless player over WebSocket
 * (test/integration/headlessPlayer.test.ts). Each case returns what the game saw and what
 * it should have seen; the runner asserts both equal, as values and as JSON text, so the
 * two transports are held to the same bytes (key order included).
 *
 * The suite plays the game's server itself: it exchanges login codes and signs orders
 * with game-sdk's server helpers, as a real game backend would.
 */

/** How the game answers the sheet for one payment; 'none' means no sheet may open (the host refuses first). */
export type SheetChoice = 'confirm' | 'cancel' | 'none'

/** A game client on one transport: the two host calls a purchase needs. */
export interface PurchaseDriver {
  /** wx.login in the game; resolves with the code (throws if the host fails it). */
  login(): Promise<string>
  /**
   * wx.requestMidasPaymentGameItem with `params` exactly as given (signData may be an
   * object: that is a case), the sheet answered as `answer` says. Resolves with the object
   * the game's success or fail callback received, untouched.
   */
  pay(params: Record<string, unknown>, answer: SheetChoice): Promise<unknown>
}

/** The mini game's credentials, as its developer has them from the console. */
export interface GameCredentials {
  appId: string
  appKey: string
  appSecret: string
}

export interface TestGameServerOptions {
  /** Where the game's server reaches the host, sandbox prefix included. */
  simulatorUrl: string
  credentials: GameCredentials
  /** Starts every outTradeNo of this run, so runs sharing a sandbox never collide. */
  outTradeNoPrefix: string
}

/** What a case may set of an order; the rest is one Handful of Gems at its released price. */
export interface OrderFields {
  productId?: string
  goodsPrice?: number
  buyQuantity?: number
  currencyType?: string
  outTradeNo?: string
}

/** The game's server, reduced to what the cases need. */
export interface TestGameServer {
  /** jscode2session: the player's session_key for a wx.login code. */
  sessionKey(code: string): Promise<string>
  /** A fresh single-use outTradeNo. */
  outTradeNo(): string
  /** signData, paySig and signature for one order, signed as the game's server signs it. */
  sign(sessionKey: string, order: OrderFields): { signData: string; paySig: string; signature: string; outTradeNo: string }
}

export const PAY = 'requestMidasPaymentGameItem'

/** A released item of the demo catalog and its released price. */
const GEMS = { productId: 'gem_pack_small', goodsPrice: 99 } as const

/**
 * The demo game's credentials. Test-control API (`GET /_sim/minigames/:appId`) where the
 * simulator has it, which is what a QA run against any game would use.
 */
export async function loadGameCredentials(simulatorUrl: string, appId: string = DEMO_GAME.appId): Promise<GameCredentials> {
  const response = await fetch(`${simulatorUrl.replace(/\/+$/, '')}/_sim/minigames/${encodeURIComponent(appId)}`)
  if (!response.ok) throw new Error(`GET /_sim/minigames/${appId} answered HTTP ${response.status}: ${await response.text()}`)
  const { appKey, appSecret } = (await response.json()) as { appKey: string; appSecret: string }
  return { appId, appKey, appSecret }
}

export function createTestGameServer({ simulatorUrl, credentials, outTradeNoPrefix }: TestGameServerOptions): TestGameServer {
  const host = createHostClient({ baseUrl: simulatorUrl, appId: credentials.appId, appSecret: credentials.appSecret })
  let counter = 0
  return {
    async sessionKey(code) {
      return (await host.code2Session(code)).session_key
    },
    outTradeNo() {
      counter += 1
      return `${outTradeNoPrefix}${counter.toString().padStart(4, '0')}`
    },
    sign(sessionKey, order) {
      const outTradeNo = order.outTradeNo ?? this.outTradeNo()
      const signed = signOrder({
        appKey: credentials.appKey,
        sessionKey,
        order: { ...GEMS, buyQuantity: 1, currencyType: 'USD', ...order, outTradeNo },
      })
      return { ...signed, outTradeNo }
    },
  }
}

/** A prefix for this run's outTradeNos: short enough to leave room for a counter within 32 chars. */
export function runPrefix(tag: string): string {
  return `${tag}${randomBytes(5).toString('hex')}`
}

export interface PurchaseCaseContext {
  driver: PurchaseDriver
  game: TestGameServer
  credentials: GameCredentials
}

export interface PurchaseCase {
  /** A behaviour sentence. */
  name: string
  /** Runs the case; `actual` is what the game saw, `expected` what it must see, step by step. */
  run(context: PurchaseCaseContext): Promise<{ actual: Record<string, unknown>; expected: Record<string, unknown> }>
}

/** Logs the player in and returns the session_key the game server got for it. */
async function loggedIn({ driver, game }: PurchaseCaseContext): Promise<string> {
  return game.sessionKey(await driver.login())
}

/**
 * A result as the game's callback receives it. The host sends `{errCode, errMsg}`; both SDK
 * transports validate it with hostResultSchema, whose output lists errMsg first, so that is
 * the order a game sees on either transport.
 */
const result = (errCode: number, errMsg: string) => ({ errMsg, errCode })

export const purchaseCases: readonly PurchaseCase[] = [
  {
    name: 'a confirmed sheet pays: errCode 0',
    async run(context) {
      const { signData, paySig, signature } = context.game.sign(await loggedIn(context), {})
      const paid = await context.driver.pay({ signData, paySig, signature }, 'confirm')
      return { actual: { paid }, expected: { paid: result(0, `${PAY}:ok`) } }
    },
  },
  {
    name: 'a cancelled sheet is errCode 1',
    async run(context) {
      const { signData, paySig, signature } = context.game.sign(await loggedIn(context), {})
      const cancelled = await context.driver.pay({ signData, paySig, signature }, 'cancel')
      return { actual: { cancelled }, expected: { cancelled: result(1, `${PAY}:fail cancel`) } }
    },
  },
  {
    name: 'a paySig not made with the AppKey is refused with -15014',
    async run(context) {
      const { signData, signature } = context.game.sign(await loggedIn(context), {})
      const refused = await context.driver.pay({ signData, paySig: signPaySig('not-the-app-key', signData), signature }, 'none')
      return {
        actual: { refused },
        expected: { refused: result(-15014, `${PAY}:fail paySig error: HMAC-SHA256(appKey, "${PAY}&" + signData) does not match`) },
      }
    },
  },
  {
    name: 'a user-state signature not made with the session_key is refused with -15012',
    async run(context) {
      const { signData, paySig } = context.game.sign(await loggedIn(context), {})
      const refused = await context.driver.pay({ signData, paySig, signature: signUserSignature(randomBytes(16).toString('hex'), signData) }, 'none')
      return { actual: { refused }, expected: { refused: result(-15012, `${PAY}:fail signature error: HMAC-SHA256(session_key, signData) does not match`) } }
    },
  },
  {
    name: 'an unreleased item (dragon_egg) is refused with -15013',
    async run(context) {
      const { signData, paySig, signature } = context.game.sign(await loggedIn(context), { productId: 'dragon_egg', goodsPrice: 999 })
      const refused = await context.driver.pay({ signData, paySig, signature }, 'none')
      return { actual: { refused }, expected: { refused: result(-15013, `${PAY}:fail item dragon_egg is not released`) } }
    },
  },
  {
    name: 'a goodsPrice other than the released price is refused with -15016',
    async run(context) {
      const { signData, paySig, signature } = context.game.sign(await loggedIn(context), { goodsPrice: GEMS.goodsPrice + 1 })
      const refused = await context.driver.pay({ signData, paySig, signature }, 'none')
      return {
        actual: { refused },
        expected: { refused: result(-15016, `${PAY}:fail item price error: goodsPrice ${GEMS.goodsPrice + 1} differs from the released price ${GEMS.goodsPrice}`) },
      }
    },
  },
  {
    name: 'signData passed as an object instead of its JSON string is refused with -15011',
    async run(context) {
      const { signData, paySig, signature } = context.game.sign(await loggedIn(context), {})
      const refused = await context.driver.pay({ signData: JSON.parse(signData) as unknown, paySig, signature }, 'none')
      return {
        actual: { refused },
        expected: { refused: result(-15011, `${PAY}:fail signData must be a string (JSON.stringify the object, then sign that exact string)`) },
      }
    },
  },
  {
    name: 'the outTradeNo of a paid order cannot be paid again: -15007',
    async run(context) {
      const { signData, paySig, signature, outTradeNo } = context.game.sign(await loggedIn(context), {})
      const first = await context.driver.pay({ signData, paySig, signature }, 'confirm')
      const again = await context.driver.pay({ signData, paySig, signature }, 'none')
      return {
        actual: { first, again },
        expected: { first: result(0, `${PAY}:ok`), again: result(-15007, `${PAY}:fail order ${outTradeNo} is already paid`) },
      }
    },
  },
  {
    name: 'the outTradeNo of a cancelled (closed) order cannot be paid again: -15017',
    async run(context) {
      const { signData, paySig, signature, outTradeNo } = context.game.sign(await loggedIn(context), {})
      const first = await context.driver.pay({ signData, paySig, signature }, 'cancel')
      const again = await context.driver.pay({ signData, paySig, signature }, 'none')
      return {
        actual: { first, again },
        expected: { first: result(1, `${PAY}:fail cancel`), again: result(-15017, `${PAY}:fail order ${outTradeNo} is closed`) },
      }
    },
  },
  {
    name: 'a wx.login code can be exchanged once',
    async run({ driver, game }) {
      const code = await driver.login()
      const first = await game.sessionKey(code).then(
        (key) => (/^.+$/.test(key) ? 'exchanged' : `empty session_key`),
        (error: unknown) => `refused: ${(error as Error).message}`,
      )
      const second = await game.sessionKey(code).then(
        () => 'exchanged',
        (error: unknown) => (error instanceof GameSdkError ? `refused ${error.code}: ${error.message}` : `threw ${String(error)}`),
      )
      return {
        actual: { first, second },
        expected: {
          first: 'exchanged',
          second: 'refused HOST_API_ERROR: [game-sdk] /sns/jscode2session failed with errcode 40163: code been used: each wx.login code can be exchanged once',
        },
      }
    },
  },
]
