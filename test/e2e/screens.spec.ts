import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'

/**
 * The main screens, photographed at desktop and phone sizes and kept as test artefacts
 * (test-results/…/*.png), and the keyboard paths a person without a mouse takes.
 */
async function shoot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`)
  await page.screenshot({ path })
  await test.info().attach(name, { path, contentType: 'image/png' })
}

test('the host shell, the payment sheet and the event panel, at desktop and phone sizes', async ({ hostShell }) => {
  const { page, game } = hostShell
  await page.setViewportSize({ width: 1280, height: 960 })
  await hostShell.open('player-2')
  await shoot(page, 'host-shell-desktop')
  await game.getByTestId('shop-item-gem_pack_small').click()
  await expect(page.getByTestId('pay-sheet')).toBeVisible()
  await shoot(page, 'payment-sheet-desktop')
  // The sheet takes the focus, and the keyboard answers it: Escape cancels, Enter on Pay pays.
  await expect(page.getByTestId('pay-confirm')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('pay-sheet')).toBeHidden()
  await expect(game.getByTestId('game-status')).toContainText(/cancel/i)
  await game.getByTestId('shop-item-gem_pack_small').click()
  await expect(page.getByTestId('pay-confirm')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(game.getByTestId('inventory-item-gem_pack_small')).toBeVisible()
  await expect(page.getByTestId('host-log')).toContainText('delivery')
  await shoot(page, 'event-panel-desktop')

  await page.setViewportSize({ width: 390, height: 844 })
  await shoot(page, 'host-shell-phone')
})

/**
 * Presses Tab until `target` has the focus, as a person without a mouse does. Fails after
 * `limit` presses: the pages have fewer focusable elements than that before their targets.
 */
async function tabTo(page: Page, target: Locator, limit = 60) {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate((element) => element === document.activeElement)) return
  }
  throw new Error(`${target} did not get the focus after ${limit} presses of Tab`)
}

test('the console login and pages are labelled and usable with the keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto('/console/')
  // Found by their labels, reached with Tab, filled by typing, sent with Enter.
  const username = page.getByLabel('Username')
  await tabTo(page, username)
  await page.keyboard.type('mpadmin')
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Password')).toBeFocused()
  await page.keyboard.type('password')
  await shoot(page, 'console-login')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('current-user')).toContainText('mpadmin')

  await tabTo(page, page.getByRole('link', { name: 'Basic configuration', exact: true }))
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('delivery-current-url')).toBeVisible()
  await shoot(page, 'console-basic-configuration')
  await tabTo(page, page.getByRole('link', { name: 'Deliveries', exact: true }))
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('deliveries-refresh')).toBeVisible()
  await shoot(page, 'console-deliveries')
  await page.setViewportSize({ width: 390, height: 844 })
  await shoot(page, 'console-phone')
})
