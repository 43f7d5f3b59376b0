import { readFileSync } from 'node:fs'
import path from 'node:path'
import express from 'express'
import type { Frame, Page } from '@playwright/test'
import { createDeliveryHandler } from '@superapp-sim/game-sdk/server'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { listen } from '../support/http'
import {
  createTestGameServer,
  loadGameCredentials,
  purchaseCases,
  runPrefix,
  type GameCredentials,
  type PurchaseDriver,
  type TestGameServer,
} from '../shared/purchaseFlow'
import { expect, test } from './fixtures'

/**
 * The purchase suite every transport must pass with the same bytes, here in real Chromium:
 * a plain game page with the drop-in wx.js, framed by the host shell (postMessage), the
 * sheet answered by clicking it. Its twin over WebSocket is test/integration/headlessPlayer.test.ts.
 */

/** A sandbox of this spec's own: other specs keep the default sandbox's demo data to themselves. */
const SANDBOX = 'e2e-shared-purchase'
const PLAYER = 'player-2'

let gamePage: { url: string; close: () => Promise<void> }
let simulatorOrigin: string
let simulatorUrl: string
let credentials: GameCredentials
let gameServer: TestGameServer

test.beforeAll(async ({ baseURL }) => {
  simulatorOrigin = baseURL!.replace('localhost', '127.0.0.1')
  const reset = await fetch(`${simulatorOrigin}/sandbox/${SANDBOX}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  expect(reset.status, await reset.text()).toBe(200)
  simulatorUrl = `${simulatorOrigin}/sandbox/${SANDBOX}`
  credentials = await loadGameCredentials(simulatorUrl, DEMO_GAME.appId)
  gameServer = createTestGameServer({ simulatorUrl, credentials, outTradeNoPrefix: runPrefix('PM') })

  // The game from an origin of its own, as a developer's game would be, with the delivery
  // endpoint of its server: the sandbox's demo data would otherwise deliver to the sample game.
  const app = express()
  app.get('/', (_req, res) => {
    const html = readFileSync(path.join(import.meta.dirname, 'shared-game/index.html'), 'utf8')
    res.type('html').send(html.replace('__SIMULATOR__', simulatorOrigin))
  })
  app.post('/api/delivery', createDeliveryHandler({ appKey: credentials.appKey, deliver: () => {} }))
  gamePage = await listen(app)
  const deliveryUrl = `${gamePage.url}/api/delivery`
  const patched = await fetch(`${simulatorUrl}/_sim/minigames/${DEMO_GAME.appId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deliveryUrl, testDeliveryUrl: deliveryUrl }),
  })
  expect(patched.status, await patched.text()).toBe(200)
})

test.afterAll(async () => {
  await gamePage?.close()
})

/** Opens the host shell in the sandbox with the test game framed, and returns the game's frame. */
async function openGame(page: Page): Promise<Frame> {
  const gameUrl = `${gamePage.url}/`
  await page.goto(`/sandbox/${SANDBOX}/host/?${new URLSearchParams({ player: PLAYER, appId: DEMO_GAME.appId, game: gameUrl })}`)
  await expect(page.frameLocator('[data-testid="game-frame"]').locator('body')).toHaveAttribute('data-ready', 'true')
  const frame = page.frames().find((f) => f.url() === gameUrl)
  if (!frame) throw new Error(`the host shell did not frame ${gameUrl}`)
  return frame
}

interface GameWindow {
  game: { login(): Promise<string>; pay(params: Record<string, unknown>): Promise<string> }
}

/** The shared suite's driver: wx called in the frame, the sheet answered by a click in the host shell. */
function browserDriver(page: Page, frame: Frame): PurchaseDriver {
  const sheet = page.getByTestId('pay-sheet')
  return {
    login: () => frame.evaluate(() => (window as unknown as GameWindow).game.login()),
    async pay(params, answer) {
      const result = frame.evaluate((p) => (window as unknown as GameWindow).game.pay(p), params)
      if (answer === 'none') {
        // A sheet where none may open is cancelled, so the case sees errCode 1 and fails with a diff instead of a timeout.
        const first = await Promise.race([result.then(() => 'result' as const), sheet.waitFor({ state: 'visible' }).then(() => 'sheet' as const, () => 'result' as const)])
        if (first === 'sheet') await page.getByTestId('pay-cancel').click()
      } else {
        await expect(sheet).toBeVisible()
        await page.getByTestId(answer === 'confirm' ? 'pay-confirm' : 'pay-cancel').click()
      }
      const text = await result
      await expect(sheet).toBeHidden()
      return JSON.parse(text) as unknown
    },
  }
}

test.describe('the shared purchase suite in the host shell (postMessage)', () => {
  for (const purchaseCase of purchaseCases) {
    test(purchaseCase.name, async ({ page }) => {
      const driver = browserDriver(page, await openGame(page))
      const { actual, expected } = await purchaseCase.run({ driver, game: gameServer, credentials })
      expect(actual).toEqual(expected)
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
    })
  }
})
