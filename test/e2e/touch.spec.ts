import { expect, test } from './fixtures'

/**
 * The host shell on a phone's browser (the LAN demo, issue 18.12): touch only, a phone's
 * screen. A tap on a shop item opens the payment sheet and a tap on Pay buys, as a click
 * does in the desktop frame.
 */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })

// Order status number (docs/protocol.md section 4).
const DELIVERED = 4

test('on a phone, a tap on a shop item and a tap on Pay buy it', async ({ hostShell }) => {
  const { page, game } = hostShell
  await hostShell.open('player-1')
  expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches && navigator.maxTouchPoints > 0)).toBe(true)
  const before = (await hostShell.orders('player-1')).filter((o) => o.productId === 'swift_boots' && o.status === DELIVERED).length

  await game.getByTestId('shop-item-swift_boots').tap()
  const sheet = page.getByTestId('pay-sheet')
  await expect(sheet).toBeVisible()
  await expect(page.getByTestId('pay-sheet-name')).toHaveText('Swift Boots')
  await page.getByTestId('pay-confirm').tap()
  await expect(sheet).toBeHidden()
  await expect(game.getByTestId('inventory-item-swift_boots')).toBeVisible()

  await expect.poll(async () => (await hostShell.orders('player-1')).filter((o) => o.productId === 'swift_boots' && o.status === DELIVERED).length).toBe(before + 1)
})
