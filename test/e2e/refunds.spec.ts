import { readFile } from 'node:fs/promises'
import { expect, test, consoleLogIn } from './fixtures'

// The sample game (Gem Quest): approved, and delivering to the sample game server, in the demo data.
const GEM_QUEST = 'mg5a3f9c2e71d04b88'
// Order status numbers (docs/protocol.md section 4).
const DELIVERED = 4
// Other specs buy as player-1, and only cancel Gem Chests as player-2: this player's paid Gem Chest is this test's alone.
const PLAYER = 'player-2'
// Its name in the demo fixture: what a person reads wherever the player is shown (issue 18.5).
const PLAYER_NAME = 'Sam'
const ITEM = 'gem_chest'


test('a player asks for a refund in My orders, the superapp approves it, the game takes the item back, the records show it', async ({ hostShell, browser }) => {
  const { page, game } = hostShell

  // 1. The player buys a Gem Chest.
  await hostShell.open(PLAYER)
  await expect(game.getByTestId(`inventory-item-${ITEM}`)).toHaveCount(0)
  // The game shows the openid it knows; the host shows the same id beside the player's name.
  const shownOpenid = /openid (\S+…\S+)/.exec((await game.getByTestId('game-status').textContent()) ?? '')?.[1]
  expect(shownOpenid).toBeTruthy()
  await expect(page.getByTestId('player-select').locator('option:checked')).toContainText(PLAYER_NAME)
  await expect(page.getByTestId('player-openid')).toHaveText(`openid ${shownOpenid}`)
  await game.getByTestId(`shop-item-${ITEM}`).click()
  await page.getByTestId('pay-confirm').click()
  await expect(game.getByTestId(`inventory-item-${ITEM}`)).toContainText('×1')
  let orderNo = ''
  await expect
    .poll(async () => {
      const paid = (await hostShell.orders(PLAYER)).filter((o) => o.productId === ITEM && o.status === DELIVERED)
      orderNo = paid[0]?.orderNo ?? ''
      return paid.length
    })
    .toBe(1)

  // 2. It asks for its money back from the host shell's "My orders", with a reason.
  await page.getByTestId('my-orders-open').click()
  await expect(page.getByTestId('my-orders')).toBeVisible()
  await expect(page.getByTestId(`my-order-${orderNo}`)).toBeVisible()
  await page.getByTestId(`refund-request-${orderNo}`).click()
  await page.getByTestId('refund-reason').fill('Bought it by mistake')
  await page.getByTestId('refund-submit').click()
  await expect(page.getByTestId(`my-order-status-${orderNo}`)).toContainText('refund requested')
  // Nothing is taken back before the superapp decides.
  await expect(game.getByTestId(`inventory-item-${ITEM}`)).toContainText('×1')

  // 3. The super admin finds the request in the queue (its landing page) and approves it.
  const superadmin = await consoleLogIn(browser, 'superadmin')
  await expect(superadmin.getByTestId('refund-requests')).toBeVisible()
  const request = superadmin.locator('tr[data-testid^="refund-request-RF"]', { hasText: orderNo })
  await expect(request).toHaveCount(1)
  // The Pending tab never says that nothing is pending above a pending refund request (issue 18).
  await expect(superadmin.getByText(/^No pending requests/)).toHaveCount(0)
  await expect(request).toContainText('Bought it by mistake')
  await expect(request).toContainText(`${PLAYER_NAME} (${PLAYER})`)
  const refundNo = ((await request.getAttribute('data-testid')) ?? '').replace('refund-request-', '')
  expect(refundNo).toMatch(/^RF\d{16}$/)
  await expect(superadmin.getByTestId(`refund-request-status-${refundNo}`)).toHaveText('pending approval')
  await superadmin.getByTestId(`approve-refund-${refundNo}`).click()
  await expect(superadmin.getByTestId(`refund-request-status-${refundNo}`)).toHaveText('succeeded')
  await expect(superadmin.getByTestId('refund-requests-notice')).toContainText(orderNo)
  await expect(superadmin.getByTestId(`approve-refund-${refundNo}`)).toHaveCount(0)
  await superadmin.context().close()

  // 4. The refund notification reached the game's server, which took the chest back; the
  // game, still open and untouched, sees it on its periodic inventory refresh.
  await expect(game.getByTestId(`inventory-item-${ITEM}`)).toHaveCount(0)
  await expect(game.getByTestId('game-status')).toContainText('Refunded')
  await expect(page.getByTestId(`my-order-status-${orderNo}`)).toContainText('refunded')
  // Done with the game: its canvas renders in software in headless Chromium and would slow the console steps.
  await page.goto('about:blank')

  // 5. The operator's after-sales record: the server's default range (the last 7 days) in
  // the date inputs, the refund among them as succeeded, and the 12-month limit refused.
  const operator = await consoleLogIn(browser, 'operator')
  await operator.getByTestId('nav-after-sales').click()
  await operator.getByTestId('after-sales-game-select').selectOption(GEM_QUEST)
  await expect(operator).toHaveURL(new RegExp(`appId=${GEM_QUEST}`))
  const from = operator.getByTestId('after-sales-from')
  const to = operator.getByTestId('after-sales-to')
  await expect(to).toHaveValue(/^\d{4}-\d{2}-\d{2}$/)
  const toDay = await to.inputValue()
  const sixDaysBefore = new Date(Date.parse(`${toDay}T00:00:00Z`) - 6 * 24 * 3600 * 1000).toISOString().slice(0, 10)
  await expect(from).toHaveValue(sixDaysBefore)
  await operator.getByTestId('after-sales-search').fill(orderNo)
  await expect(operator.locator('[data-testid^="refund-row-"]')).toHaveCount(1)
  const refundRow = operator.getByTestId(`refund-row-${refundNo}`)
  await expect(refundRow).toContainText(orderNo)
  await expect(refundRow).toContainText('Bought it by mistake')
  await expect(refundRow).toContainText(`${PLAYER_NAME} (${PLAYER})`)
  await expect(operator.getByTestId(`refund-status-${refundNo}`)).toHaveText('succeeded')

  // The export holds the same refund (the token is no cookie: the page fetches, then saves a blob).
  const [download] = await Promise.all([operator.waitForEvent('download'), operator.getByTestId('after-sales-export-csv').click()])
  expect(download.suggestedFilename()).toMatch(/^refunds-.*\.csv$/)
  const csv = await readFile(await download.path(), 'utf8')
  expect(csv).toContain(refundNo)
  expect(csv).toContain('succeeded')

  await from.fill('2000-01-01')
  await expect(operator.getByTestId('after-sales-error')).toContainText('12 months')
  await expect(operator.getByTestId('after-sales-error')).toContainText('earliest from date')
  await expect(operator.locator('[data-testid^="refund-row-"]')).toHaveCount(0)
  await expect(from).toHaveValue('2000-01-01')

  // 6. The order record shows the order as refunded, its details the approved refund.
  await operator.getByTestId('nav-orders').click()
  await operator.getByTestId('orders-game-select').selectOption(GEM_QUEST)
  await expect(operator).toHaveURL(new RegExp(`/virtual-payment/orders\\?appId=${GEM_QUEST}`))
  await operator.getByTestId('orders-search').fill(orderNo)
  await expect(operator.locator('[data-testid^="order-row-"]')).toHaveCount(1)
  await expect(operator.getByTestId('orders-total')).toHaveText('1 order')
  await expect(operator.getByTestId(`order-status-${orderNo}`)).toHaveText('refunded')
  await expect(operator.getByTestId(`order-row-${orderNo}`)).toContainText(`${PLAYER_NAME} (${PLAYER})`)
  await operator.getByTestId(`order-row-${orderNo}`).click()
  const detail = operator.getByTestId('order-detail')
  await expect(detail.getByTestId('order-detail-item')).toHaveText('Chest of Gems')
  await expect(detail.getByTestId('order-detail-player')).toContainText(`${PLAYER_NAME} (${PLAYER})`)
  await expect(detail.getByTestId(`order-refund-${refundNo}`)).toContainText('succeeded')
  await expect(detail.getByTestId(`order-refund-${refundNo}`)).toContainText('superadmin')
  // The state filter narrows on the server: this order is no longer "delivered".
  await operator.getByTestId('orders-status').selectOption(String(DELIVERED))
  await expect(operator.getByTestId('orders-empty')).toBeVisible()
  await operator.getByTestId('orders-status').selectOption('5')
  await expect(operator.getByTestId(`order-row-${orderNo}`)).toBeVisible()
  await operator.context().close()
})
