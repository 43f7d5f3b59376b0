import path from 'node:path'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { servePackage } from '../support/packageServer'
import { expect, miniGameWorker, pagePoint, test } from './fixtures'

const GAME_PORT = Number(process.env.E2E_GAME_PORT ?? 7171)
const PACKAGES = path.join(import.meta.dirname, 'minigames')

/** The plain game's state (its js/databus.js), as game code sees it. */
interface PlainBus {
  status: string
  launches: number
  owned: number
  lastPayment: unknown
  buyButton: { x: number; y: number; width: number; height: number }
}
/** A pixi display object, as far as the tests look at it. */
interface SceneNode {
  label: string
  text?: string
  children?: SceneNode[]
  getBounds(): { x: number; y: number; width: number; height: number }
}
// What code evaluated in the runtime's worker sees, like game code.
declare const wx: object
declare const GameGlobal: typeof globalThis & { databus: PlainBus; gemQuestReady?: boolean; __PIXI_APP__?: { stage: SceneNode } }

/** Gem Quest's (mini game build) display object with this label: its bounds and text, or null. */
function findInScene(label: string): { x: number; y: number; width: number; height: number; text: string } | null {
  const visit = (node: SceneNode): SceneNode | undefined => (node.label === label ? node : node.children?.map(visit).find(Boolean))
  const found = GameGlobal.__PIXI_APP__ && visit(GameGlobal.__PIXI_APP__.stage)
  if (!found) return null
  const texts: string[] = []
  const collect = (node: SceneNode) => {
    if (typeof node.text === 'string') texts.push(node.text)
    node.children?.forEach(collect)
  }
  collect(found)
  const { x, y, width, height } = found.getBounds()
  return { x, y, width, height, text: texts.join(' ') }
}

// The whole phone on screen: a tap on the canvas is a point, not an element Playwright scrolls to.
test.use({ viewport: { width: 1280, height: 1000 } })

test('a plain mini game package runs in the host shell, without a DOM, and buys an item end to end', async ({ page }) => {
  // Its server is the sample game's (login, signed orders, inventory), as config.js says.
  const served = await servePackage(path.join(PACKAGES, 'plain'), {
    'config.js': `module.exports = { server: 'http://127.0.0.1:${GAME_PORT}', productId: 'gem_pack_small' }`,
  })
  // What the runtime reports: the page's own 404s (favicon) are not the game's.
  const runtimeErrors: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && /mini game|superapp-sim/.test(message.text()) && runtimeErrors.push(message.text())))
  try {
    // The shell has Star Drift selected; the package's project.config.json says Gem Quest, and wins.
    await page.goto(`/host/?player=player-1&appId=${STAR_DRIFT_APP_ID}&package=${encodeURIComponent(served.url)}`)
    await expect(page.getByTestId('game-select')).toHaveValue(DEMO_GAME.appId)
    await expect(page.getByTestId('game-select')).toBeDisabled()
    await expect(page.getByTestId('game-frame')).toBeHidden()
    const worker = await miniGameWorker(page)
    await expect.poll(() => worker.evaluate(() => (GameGlobal as Partial<typeof GameGlobal>).databus?.status)).toBe('ready')

    // Game code sees wx and GameGlobal, and nothing of the browser.
    expect(await worker.evaluate(() => [typeof wx, GameGlobal === globalThis, typeof document, typeof window, typeof self, typeof fetch, typeof XMLHttpRequest, typeof requestAnimationFrame])).toEqual(
      ['object', true, 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function'],
    )
    const launches = await worker.evaluate(() => GameGlobal.databus.launches)
    const ownedBefore = await worker.evaluate(() => GameGlobal.databus.owned)

    // A tap on the game's button, through the shell's canvas and the runtime's touch events.
    const button = await worker.evaluate(() => GameGlobal.databus.buyButton)
    const point = await pagePoint(page, button.x + button.width / 2, button.y + button.height / 2)
    await page.mouse.click(point.x, point.y)
    await expect(page.getByTestId('pay-sheet')).toBeVisible()
    await expect(page.getByTestId('pay-sheet-name')).toHaveText('Handful of Gems')
    await page.getByTestId('pay-confirm').click()

    await expect.poll(() => worker.evaluate(() => GameGlobal.databus.lastPayment)).toEqual({ errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok' })
    await expect(page.getByTestId('minigame-toast')).toHaveText('✓ Paid')
    // Delivered to the game's server, which now lists one more gem pack.
    await expect.poll(() => worker.evaluate(() => GameGlobal.databus.owned)).toBe(ownedBefore + 1)
    await expect(page.getByTestId('host-log')).toContainText('← wx.requestMidasPaymentGameItem')
    // Loopback is allowed, and the panel says the real host would not.
    await expect(page.getByTestId('host-log')).toContainText('allowed because it is loopback')

    // Storage outlives the game: a reload is a second launch.
    await page.reload()
    const again = await miniGameWorker(page)
    await expect.poll(() => again.evaluate(() => (GameGlobal as Partial<typeof GameGlobal>).databus?.launches)).toBe(launches + 1)
    expect(runtimeErrors).toEqual([])
  } finally {
    await served.close()
  }
})

test('a package that reaches for document fails with a message naming it', async ({ page }) => {
  const served = await servePackage(path.join(PACKAGES, 'touches-document'))
  const consoleErrors: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())))
  try {
    await page.goto(`/host/?player=player-1&package=${encodeURIComponent(served.url)}`)
    const log = page.getByTestId('host-log')
    await expect(log).toContainText('document is not available in a mini game')
    await expect(log).toContainText('game.js:4')
    expect(consoleErrors.some((text) => text.includes('document is not available in a mini game'))).toBe(true)
  } finally {
    await served.close()
  }
})

test('the sample game\'s mini game build, from the same source, buys an item end to end', async ({ page }) => {
  // The sample server serves sample-game/dist/minigame (vite build --mode minigame) and names itself in gameServer.js.
  await page.goto(`/host/?player=player-2&package=${encodeURIComponent(`http://127.0.0.1:${GAME_PORT}/minigame/`)}`)
  await expect(page.getByTestId('game-select')).toHaveValue(DEMO_GAME.appId)
  const worker = await miniGameWorker(page)
  await expect.poll(() => worker.evaluate(() => GameGlobal.gemQuestReady)).toBe(true)
  const owned = async () => Number(/×(\d+)/.exec((await worker.evaluate(findInScene, 'inventory-item-gem_pack_small'))?.text ?? '')?.[1] ?? 0)
  const before = await owned()

  const button = (await worker.evaluate(findInScene, 'shop-item-gem_pack_small'))!
  expect(button.text).toContain('Handful of Gems $0.99')
  const point = await pagePoint(page, button.x + button.width / 2, button.y + button.height / 2)
  await page.mouse.click(point.x, point.y)
  await expect(page.getByTestId('pay-sheet-name')).toHaveText('Handful of Gems')
  await page.getByTestId('pay-confirm').click()

  await expect.poll(() => worker.evaluate(findInScene, 'game-status').then((status) => status?.text)).toBe('Handful of Gems delivered!')
  expect(await owned()).toBe(before + 1)
  await expect(page.getByTestId('host-log')).toContainText('delivery')
})
