import type { Page } from '@playwright/test'
import { expect, test, type HostShell, consoleLogIn } from './fixtures'

// The sample game (Gem Quest): approved, and delivering to the sample game server, in the demo data.
const GEM_QUEST = 'mg5a3f9c2e71d04b88'


/** Buys Swift Boots in the host shell (already open) and answers the new order's number. */
async function buySwiftBoots(hostShell: HostShell): Promise<string> {
  const { page, game } = hostShell
  const before = new Set((await hostShell.orders('player-1')).map((o) => o.orderNo))
  await game.getByTestId('shop-item-swift_boots').click()
  await page.getByTestId('pay-confirm').click()
  await expect(game.getByTestId('inventory-item-swift_boots')).toBeVisible()
  let orderNo = ''
  await expect
    .poll(async () => {
      const added = (await hostShell.orders('player-1')).filter((o) => o.productId === 'swift_boots' && !before.has(o.orderNo))
      orderNo = added[0]?.orderNo ?? ''
      return added.length
    })
    .toBe(1)
  return orderNo
}

/** Opens Deliveries for Gem Quest and waits until its event stream is connected. */
async function openDeliveries(page: Page): Promise<void> {
  await page.getByTestId('nav-deliveries').click()
  await page.getByTestId('deliveries-game-select').selectOption(GEM_QUEST)
  await expect(page).toHaveURL(new RegExp(`appId=${GEM_QUEST}`))
  await expect(page.getByTestId('deliveries-live')).toBeVisible()
}

const rowOf = (page: Page, orderNo: string) => page.locator('[data-testid^="delivery-row-"]', { hasText: orderNo })

test('deliveries: a purchase is delivered, its attempt is inspected and resent; an operator sees the log read-only', async ({ hostShell, browser, request }) => {
  await hostShell.open('player-1')
  const orderNo = await buySwiftBoots(hostShell)
  // Done with the game: its canvas renders in software in headless Chromium and would slow the console steps.
  await hostShell.page.goto('about:blank')

  // 1. The administrator finds the delivery by its order number.
  const admin = await consoleLogIn(browser, 'mpadmin')
  await openDeliveries(admin)
  await admin.getByTestId('deliveries-search').fill(orderNo)
  await expect(admin.locator('[data-testid^="delivery-row-"]')).toHaveCount(1)
  const row = rowOf(admin, orderNo)
  await expect(row).toContainText('Delivery')
  await expect(row.locator('[data-testid^="delivery-state-"]')).toHaveText('delivered')

  // The filters narrow the list on the server: this delivery did not fail.
  await admin.getByTestId('deliveries-state').selectOption('failed')
  await expect(admin.getByTestId('deliveries-empty')).toBeVisible()
  await admin.getByTestId('deliveries-state').selectOption('delivered')
  await expect(row).toHaveCount(1)

  // 2. The detail: the exact request, and the one attempt the game server accepted.
  await row.click()
  const detail = admin.getByTestId('delivery-detail')
  await expect(detail).toBeVisible()
  await expect(detail.getByTestId('delivery-target')).toContainText('/api/delivery')
  await expect(detail.getByTestId('delivery-body')).toContainText('PayEventSig')
  await expect(detail.getByTestId('delivery-payload')).toContainText('swift_boots')
  const attempts = detail.getByTestId('delivery-attempt')
  await expect(attempts).toHaveCount(1)
  await expect(attempts.first().getByTestId('delivery-attempt-status')).toHaveText('HTTP 200')
  await expect(attempts.first().getByTestId('delivery-attempt-outcome')).toHaveText('success')
  await expect(attempts.first().getByTestId('delivery-attempt-response')).toContainText('returnCode')
  await expect(attempts.first().getByTestId('delivery-attempt-manual')).toHaveCount(0)

  // 3. Resend: a second, manual attempt, which the (idempotent) game server accepts again.
  await detail.getByTestId('delivery-resend').click()
  await expect(attempts).toHaveCount(2)
  const resent = attempts.nth(1)
  await expect(resent.getByTestId('delivery-attempt-manual')).toBeVisible()
  await expect(resent.getByTestId('delivery-attempt-outcome')).toHaveText('success')
  await expect(resent.getByTestId('delivery-attempt-status')).toHaveText('HTTP 200')
  await expect(detail.getByTestId('delivery-resend-result')).toContainText('success')
  await expect(row.locator('[data-testid^="delivery-state-"]')).toHaveText('delivered')

  // 4. Live: a notification sent while the page is open (a test push, by another session)
  // appears without a reload, through the event stream.
  await admin.getByTestId('deliveries-search').fill('')
  await admin.getByTestId('deliveries-state').selectOption({ label: 'All' })
  await admin.getByTestId('deliveries-kind').selectOption('test')
  const testPushRows = admin.locator('[data-testid^="delivery-row-"]')
  // Every list shown before the filtered one holds the purchase's delivery: once it is gone, the count is the filtered one.
  await expect(admin.locator('[data-testid^="delivery-row-"]', { hasNotText: 'Test push' })).toHaveCount(0)
  const before = await testPushRows.count()
  const session = await request.post('/console/api/v1/session', { data: { username: 'mpadmin', password: 'password' } })
  const { token } = (await session.json()) as { token: string }
  const push = await request.post(`/console/api/v1/minigames/${GEM_QUEST}/delivery-config/test-push`, {
    headers: { authorization: `Bearer ${token}` },
    data: {},
  })
  expect(push.ok()).toBe(true)
  await expect(testPushRows).toHaveCount(before + 1)
  await expect(testPushRows.first()).toContainText('Test push')
  await expect(testPushRows.first().locator('[data-testid^="delivery-state-"]')).toHaveText('delivered')

  // 5. An operator sees the same log and the detail, but may not resend.
  const operator = await consoleLogIn(browser, 'operator')
  await openDeliveries(operator)
  await operator.getByTestId('deliveries-search').fill(orderNo)
  const operatorRow = rowOf(operator, orderNo)
  await expect(operatorRow.locator('[data-testid^="delivery-state-"]')).toHaveText('delivered')
  await operatorRow.click()
  await expect(operator.getByTestId('delivery-detail').getByTestId('delivery-attempt')).toHaveCount(2)
  await expect(operator.getByTestId('delivery-resend')).toHaveCount(0)

  await admin.context().close()
  await operator.context().close()
})

test('the endpoint checker runs from the basic configuration and lists every check', async ({ browser }) => {
  const admin = await consoleLogIn(browser, 'mpadmin')
  await admin.getByTestId('nav-basic-config').click()
  await admin.getByTestId('basic-game-select').selectOption(GEM_QUEST)
  await expect(admin).toHaveURL(new RegExp(`appId=${GEM_QUEST}`))
  await admin.getByTestId('check-endpoint').click()
  const result = admin.getByTestId('check-endpoint-result')
  // Valid, duplicate, bad PayEventSig, tampered Payload, malformed body, unknown product (decision 003).
  await expect(result.getByTestId('check-row')).toHaveCount(6)
  await expect(result.getByTestId('check-endpoint-summary')).toContainText('All 6 checks passed')
  await admin.context().close()

  // Read-only roles get no button.
  const operator = await consoleLogIn(browser, 'operator')
  await operator.getByTestId('nav-basic-config').click()
  await expect(operator.getByTestId('delivery-current-url')).toBeVisible()
  await expect(operator.getByTestId('check-endpoint')).toHaveCount(0)
  await operator.context().close()
})
