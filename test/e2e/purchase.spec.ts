import type { APIRequestContext } from '@playwright/test'
import { expect, test } from './fixtures'

// Order status numbers (docs/protocol.md section 4).
const CREATED = 1
const PAID = 2
const DELIVERED = 4
const CLOSED = 6

test('a player buys an item: payment sheet, signed delivery to the game server, item in the inventory', async ({ hostShell }) => {
  const { page, game } = hostShell
  await hostShell.open('player-1')
  await expect(game.getByTestId('inventory-item-golden_sword')).toHaveCount(0)

  await game.getByTestId('shop-item-golden_sword').click()
  const sheet = page.getByTestId('pay-sheet')
  await expect(sheet).toBeVisible()
  // The tests ask for reduced motion (playwright.config.ts), and the sheet honours it: no rise to click through.
  await expect(sheet).toHaveCSS('animation-name', 'none')
  await expect(page.getByTestId('pay-sheet-name')).toHaveText('Golden Sword')
  await expect(page.getByTestId('pay-sheet-quantity')).toHaveText('1')
  await expect(page.getByTestId('pay-sheet-total')).toHaveText('$2.99')
  await expect(page.getByTestId('pay-sheet-image')).toHaveAttribute('src', '/media/items/golden_sword.svg')
  // The sheet lives in the host's page, out of the game's reach.
  await expect(game.getByTestId('pay-sheet')).toHaveCount(0)

  await page.getByTestId('pay-confirm').click()
  await expect(sheet).toBeHidden()
  await expect(game.getByTestId('inventory-item-golden_sword')).toContainText('×1')

  const orders = await hostShell.orders('player-1')
  expect(orders.filter((o) => o.productId === 'golden_sword').map((o) => o.status)).toEqual([DELIVERED])
})

test('cancelling the sheet leaves no paid order and no item', async ({ hostShell }) => {
  const { page, game } = hostShell
  await hostShell.open('player-2')

  await game.getByTestId('shop-item-gem_chest').click()
  await expect(page.getByTestId('pay-sheet')).toBeVisible()
  await page.getByTestId('pay-cancel').click()
  await expect(page.getByTestId('pay-sheet')).toBeHidden()
  await expect(game.getByTestId('game-status')).toContainText(/cancel/i)

  await expect(game.getByTestId('inventory-item-gem_chest')).toHaveCount(0)
  // Other tests may buy as player-2 too: look at this item's orders only.
  const orders = (await hostShell.orders('player-2')).filter((o) => o.productId === 'gem_chest')
  expect(orders.length).toBeGreaterThan(0)
  expect(orders.every((o) => o.status === CLOSED)).toBe(true)
  expect(orders.some((o) => o.status >= PAID && o.status !== CLOSED)).toBe(false)
})

test('a sheet left unanswered is cancelled when the page goes, so the player can buy again', async ({ hostShell }) => {
  const { page, game } = hostShell
  // Gem Chests are only ever cancelled as player-2 (refunds.spec.ts counts on that).
  await hostShell.open('player-2')
  await game.getByTestId('shop-item-gem_chest').click()
  await expect(page.getByTestId('pay-sheet')).toBeVisible()
  const open = (await hostShell.orders('player-2')).filter((o) => o.status === CREATED)
  expect(open.map((o) => o.productId)).toEqual(['gem_chest'])

  // The player reloads the page with the sheet up: the host ends that payment, as a superapp
  // does when the mini game's app dies. Left open, it refused every purchase for 5 minutes.
  await page.reload()
  await expect.poll(async () => (await hostShell.orders('player-2')).find((o) => o.orderNo === open[0]!.orderNo)?.status).toBe(CLOSED)

  await expect(game.locator('body')).toHaveAttribute('data-ready', 'true')
  await game.getByTestId('shop-item-gem_chest').click()
  await expect(page.getByTestId('pay-sheet')).toBeVisible()
  await page.getByTestId('pay-cancel').click()
  await expect(game.getByTestId('game-status')).toContainText(/cancel/i)
})

test('an unreleased item is refused by the host with -15013 and no sheet opens', async ({ hostShell }) => {
  const { page, game } = hostShell
  await hostShell.open('player-2')
  await game.getByTestId('shop-item-dragon_egg').click()
  await expect(game.getByTestId('game-status')).toContainText('-15013')
  await expect(page.getByTestId('pay-sheet')).toBeHidden()
})

test('under a QA sheet policy the host shell shows the sheet and answers it itself, when the sandbox clock says so', async ({ hostShell, request }) => {
  const { page, game } = hostShell
  await underPolicyPayingAfter60s(request, async () => {
    await hostShell.open('player-2')
    await game.getByTestId('shop-item-swift_boots').click()
    await expect(page.getByTestId('pay-sheet')).toBeVisible()
    await expect(page.getByTestId('pay-sheet-policy')).toHaveText('Test policy: this sheet pays after 60 s of simulator time.')
    await expect(page.getByTestId('pay-confirm')).toBeDisabled()
    const before = (await hostShell.orders('player-2')).filter((o) => o.productId === 'swift_boots' && o.status === DELIVERED).length
    expect((await request.post('/_sim/clock', { data: { advanceMs: 60_000 } })).ok()).toBe(true)
    await expect(page.getByTestId('pay-sheet')).toBeHidden()
    await expect.poll(async () => (await hostShell.orders('player-2')).filter((o) => o.productId === 'swift_boots' && o.status === DELIVERED).length).toBe(before + 1)
  })
})

test('a sheet a QA policy has not answered yet is cancelled too when the page goes', async ({ hostShell, request }) => {
  const { page, game } = hostShell
  await underPolicyPayingAfter60s(request, async () => {
    await hostShell.open('player-2')
    await game.getByTestId('shop-item-gem_chest').click()
    await expect(page.getByTestId('pay-sheet-policy')).toBeVisible()
    const open = (await hostShell.orders('player-2')).filter((o) => o.status === CREATED)
    expect(open.map((o) => o.productId)).toEqual(['gem_chest'])
    await page.goto('about:blank')
    await expect.poll(async () => (await hostShell.orders('player-2')).find((o) => o.orderNo === open[0]!.orderNo)?.status).toBe(CLOSED)
  })
})

/**
 * Runs `steps` with player-2's sheets answered by a QA policy (confirm after 60 s) and the
 * sandbox clock frozen. The default sandbox is shared by the specs (they run one at a time):
 * both are restored after, whatever happened.
 */
async function underPolicyPayingAfter60s(request: APIRequestContext, steps: () => Promise<void>): Promise<void> {
  await request.put('/_sim/payment-sheet', { data: { policy: 'confirm', delayMs: 60_000, playerId: 'player-2' } })
  await request.post('/_sim/clock', { data: { frozen: true } })
  try {
    await steps()
  } finally {
    await request.delete('/_sim/payment-sheet')
    await request.post('/_sim/clock', { data: { frozen: false } })
  }
}
