import { test as base, expect, type APIRequestContext, type Browser, type FrameLocator, type Page, type Worker } from '@playwright/test'

/** The Playwright fixtures of the suite, in one place. */
export interface HostShell {
  page: Page
  /** The mini game inside the host shell's phone frame. */
  game: FrameLocator
  /** Opens the host shell as one test player and waits until the game is signed in and loaded. */
  open(playerId: string): Promise<void>
  /** The player's orders as the host records them ("My orders"). */
  orders(playerId: string): Promise<{ orderNo: string; productId: string; status: number }[]>
}

export const test = base.extend<{ hostShell: HostShell }>({
  hostShell: async ({ page, request }, use) => {
    const game = page.frameLocator('[data-testid="game-frame"]')
    let appId = ''
    let openedAs: string | undefined
    await use({
      page,
      game,
      async open(playerId) {
        await page.goto(`/host/?player=${playerId}`)
        openedAs = playerId
        await expect(page.locator('body')).toHaveAttribute('data-ready', 'true')
        appId = (await page.getByTestId('game-select').inputValue()) || appId
        await expect(game.locator('body')).toHaveAttribute('data-ready', 'true')
      },
      orders: (playerId) => ordersOf(request, appId, playerId),
    })
    // A sheet the test left open (a failed step, a lost click) is cancelled as the page goes,
    // as the host shell does for a player: waited for here, so it cannot refuse the next
    // test's purchases as this player ("a payment is already in progress").
    if (openedAs && (await page.getByTestId('pay-sheet').isVisible().catch(() => false))) {
      const player = openedAs
      await page.goto('about:blank')
      await expect.poll(async () => (await ordersOf(request, appId, player)).filter((o) => o.status === CREATED).length).toBe(0)
    }
  },
})

/** Order status 1: created, its sheet not answered yet (docs/protocol.md section 4). */
const CREATED = 1

async function ordersOf(request: APIRequestContext, appId: string, playerId: string): Promise<{ orderNo: string; productId: string; status: number }[]> {
  const response = await request.get(`/host/api/orders?${new URLSearchParams({ appId, playerId })}`)
  expect(response.ok()).toBe(true)
  return (await response.json()).orders
}

/**
 * Logs a console user in, in a fresh browser context (each role has its own sessionStorage).
 * `sandboxBase` opens another sandbox's console: '/sandbox/<name>'.
 */
export async function consoleLogIn(browser: Browser, username: string, sandboxBase = ''): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await page.goto(`${sandboxBase}/console/#/login`)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill('password')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText(username)
  return page
}

/** The mini game runtime's worker (a package in the host shell): the mini game's VM, where GameGlobal is the global object. */
export async function miniGameWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().length).toBeGreaterThan(0)
  return page.workers()[0]!
}

/** A point of the game's window (its own coordinates) on the page. */
export async function pagePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('minigame-canvas').boundingBox())!
  const size = await page.getByTestId('minigame-canvas').evaluate((canvas) => ({ width: canvas.clientWidth, height: canvas.clientHeight }))
  return { x: box.x + (x * box.width) / size.width, y: box.y + (y * box.height) / size.height }
}

export { expect }
