import type { FrameLocator, Locator, Page } from '@playwright/test'
import { consoleLogIn, expect, test } from './fixtures'

/**
 * The host shell and the console at the window sizes people use (a phone, a tablet, a
 * projector, a desktop): no sideways scrolling, every key control inside the window, no
 * clipped text in the game's bag and shop, and the whole game in view without scrolling the
 * page. Each size's picture is kept as a test artefact (test-results/…/*.png).
 */
const SIZES = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const

/** Narrower than this, the host shell shows one column: the game, or the side panels by a switch. */
const ONE_COLUMN_BELOW = 860

// Other specs count this player's items relative to before, or only its Gem Chests (refunds.spec.ts).
const PLAYER = 'player-2'
// Two items in the bag, one with the demo's longest name.
const BAG = ['gem_pack_small', 'swift_boots'] as const

async function shoot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`)
  await page.screenshot({ path })
  await test.info().attach(name, { path, contentType: 'image/png' })
}

/** How far the page scrolls sideways and down, in CSS pixels (0: it fits). */
async function pageOverflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement!
    return { x: root.scrollWidth - root.clientWidth, y: root.scrollHeight - root.clientHeight }
  })
}

/** The controls whose box is not wholly inside the window (empty: all in view). */
async function outOfView(page: Page, controls: Record<string, Locator>): Promise<string[]> {
  const viewport = page.viewportSize()!
  const outside: string[] = []
  for (const [name, control] of Object.entries(controls)) {
    const box = await control.boundingBox()
    if (!box || box.x < -0.5 || box.y < -0.5 || box.x + box.width > viewport.width + 0.5 || box.y + box.height > viewport.height + 0.5) {
      outside.push(`${name} ${box ? `at ${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}x${Math.round(box.height)}` : 'not shown'}`)
    }
  }
  return outside
}

/** Text cut short inside the game: labels whose text is wider than their box, and bag chips outside the bag. */
async function clippedGameText(game: FrameLocator): Promise<string[]> {
  return game.locator('body').evaluate((body) => {
    const clipped: string[] = []
    for (const label of body.querySelectorAll<HTMLElement>('.shop-item-name, .shop-item-desc, .shop-item-price, .inventory-name, .inventory-qty')) {
      if (label.scrollWidth > label.clientWidth + 1) clipped.push(`"${label.textContent}" needs ${label.scrollWidth} px, has ${label.clientWidth}`)
      const box = label.getBoundingClientRect()
      const card = label.closest<HTMLElement>('.shop-item, .inventory-item')!.getBoundingClientRect()
      if (box.right > card.right + 0.5 || box.bottom > card.bottom + 0.5) clipped.push(`"${label.textContent}" runs out of its card by ${Math.round(Math.max(box.right - card.right, box.bottom - card.bottom))} px`)
    }
    const bag = body.querySelector<HTMLElement>('[data-testid="inventory"]')!.getBoundingClientRect()
    for (const chip of body.querySelectorAll<HTMLElement>('[data-testid^="inventory-item-"]')) {
      const box = chip.getBoundingClientRect()
      if (box.left < bag.left - 0.5 || box.right > bag.right + 0.5) clipped.push(`bag chip "${chip.textContent}" at ${Math.round(box.left)}-${Math.round(box.right)} outside the bag ${Math.round(bag.left)}-${Math.round(bag.right)}`)
    }
    return clipped
  })
}

/** Boxes of the game's bag that the host's capsule (drawn over the game, as on a device) covers. */
async function capsuleOverlaps(page: Page, game: FrameLocator): Promise<string[]> {
  const capsule = await page.getByTestId('capsule').boundingBox()
  if (!capsule) return []
  const covered: string[] = []
  for (const chip of await game.locator('[data-testid^="inventory-item-"], .top-title > *').all()) {
    const box = (await chip.boundingBox())!
    const apart = box.x >= capsule.x + capsule.width || box.x + box.width <= capsule.x || box.y >= capsule.y + capsule.height || box.y + box.height <= capsule.y
    if (!apart) covered.push(`"${await chip.textContent()}" under the capsule`)
  }
  return covered
}

test('the host shell fits every window size: the whole game in view, nothing sideways, nothing clipped', async ({ hostShell }) => {
  const { page, game } = hostShell
  await page.setViewportSize({ width: 1280, height: 800 })
  await hostShell.open(PLAYER)
  // Fill the bag with two items (bought once; a rerun on the same server finds them owned).
  for (const productId of BAG) {
    if ((await game.getByTestId(`inventory-item-${productId}`).count()) > 0) continue
    await game.getByTestId(`shop-item-${productId}`).click()
    await page.getByTestId('pay-confirm').click()
    await expect(game.getByTestId(`inventory-item-${productId}`)).toBeVisible()
  }

  // Each kind of item has its own icon in the bag: boots do not look like a gem.
  const kinds = await Promise.all(BAG.map((productId) => game.getByTestId(`inventory-item-${productId}`).locator('[data-kind]').getAttribute('data-kind')))
  expect(kinds).toEqual(['gem', 'boots'])

  const problems: string[] = []
  const figures: string[] = []
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await hostShell.open(PLAYER)
    for (const productId of BAG) await expect(game.getByTestId(`inventory-item-${productId}`)).toBeVisible()
    const at = `${size.width}x${size.height}`
    const overflow = await pageOverflow(page)
    figures.push(`${at}: page overflow ${overflow.x} px sideways, ${overflow.y} px down`)
    if (overflow.x > 0) problems.push(`${at}: the page scrolls ${overflow.x} px sideways`)
    if (overflow.y > 0) problems.push(`${at}: the page scrolls ${overflow.y} px down (the game should fit the window)`)
    const controls: Record<string, Locator> = {
      'player select': page.getByTestId('player-select'),
      'My orders button': page.getByTestId('my-orders-open'),
      'game frame': page.getByTestId('game-frame'),
      'game status': game.getByTestId('game-status'),
      bag: game.getByTestId('inventory'),
    }
    for (const button of await game.locator('[data-testid^="shop-item-"]:not([data-testid^="shop-item-image"])').all()) {
      controls[(await button.getAttribute('data-testid'))!] = button
    }
    for (const outside of await outOfView(page, controls)) problems.push(`${at}: ${outside} is outside the window`)
    for (const clipped of await clippedGameText(game)) problems.push(`${at}: ${clipped}`)
    for (const covered of await capsuleOverlaps(page, game)) problems.push(`${at}: ${covered}`)
    await shoot(page, `host-shell-${at}`)
  }
  await test.info().attach('figures', { body: figures.join('\n'), contentType: 'text/plain' })
  expect(problems).toEqual([])
})

test("the host shell's side panels (My orders, host calls) are reachable at every size", async ({ hostShell }) => {
  const { page } = hostShell
  const problems: string[] = []
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await hostShell.open(PLAYER)
    const at = `${size.width}x${size.height}`
    await page.getByTestId('my-orders-open').click()
    await expect(page.getByTestId('my-orders')).toBeVisible()
    await expect(page.locator('#my-orders-list')).toBeVisible()
    for (const outside of await outOfView(page, { 'My orders': page.getByTestId('my-orders').locator('h2') })) problems.push(`${at}: ${outside} is outside the window`)
    // One column: the host calls are a tab beside the game; two: always beside it.
    if (size.width < ONE_COLUMN_BELOW) await page.getByTestId('side-log-open').click()
    await expect(page.getByTestId('host-log')).toBeVisible()
    await expect(page.getByTestId('host-log').locator('li').first()).toBeVisible()
    const overflow = await pageOverflow(page)
    if (overflow.x > 0) problems.push(`${at}: with the side panels open the page scrolls ${overflow.x} px sideways`)
    await shoot(page, `host-shell-side-${at}`)
  }
  expect(problems).toEqual([])
})

test('the console fits every window size: menu reachable, nothing sideways', async ({ browser }) => {
  const page = await consoleLogIn(browser, 'mpadmin')
  const problems: string[] = []
  const figures: string[] = []
  for (const size of SIZES) {
    await page.setViewportSize(size)
    const at = `${size.width}x${size.height}`
    for (const [name, testId, ready] of [
      ['orders', 'nav-orders', 'orders-search'],
      ['deliveries', 'nav-deliveries', 'deliveries-refresh'],
      ['basic', 'nav-basic-config', 'delivery-current-url'],
    ] as const) {
      const link = page.getByTestId(testId)
      if (!(await link.isVisible())) await page.getByTestId('console-menu-toggle').click()
      await link.click()
      await expect(page.getByTestId(ready).first()).toBeVisible()
      const overflow = await pageOverflow(page)
      figures.push(`${at} ${name}: page overflow ${overflow.x} px sideways`)
      if (overflow.x > 0) problems.push(`${at} ${name}: the page scrolls ${overflow.x} px sideways`)
      for (const outside of await outOfView(page, { 'current user': page.getByTestId('current-user') })) problems.push(`${at} ${name}: ${outside} is outside the window`)
      await shoot(page, `console-${name}-${at}`)
    }
  }
  await test.info().attach('figures', { body: figures.join('\n'), contentType: 'text/plain' })
  expect(problems).toEqual([])
})

test('the host shell and the console have an icon the simulator serves, and a browser asking /favicon.ico gets it too', async ({ page }) => {
  for (const pagePath of ['/host/', '/console/']) {
    await page.goto(pagePath)
    const icon = await page.locator('link[rel="icon"]').getAttribute('href')
    expect(icon, `${pagePath} links an icon`).toBeTruthy()
    const served = await page.request.get(new URL(icon!, page.url()).href)
    expect(served.status(), `${pagePath}'s icon ${icon}`).toBe(200)
  }
  const asked = await page.request.get('/favicon.ico')
  expect(asked.status()).toBe(200)
  expect(asked.headers()['content-type']).toMatch(/^image\/svg\+xml/)
})
