import ExcelJS from 'exceljs'
import type { Page } from '@playwright/test'
import { expect, test, consoleLogIn } from './fixtures'

// The sample game (Gem Quest), approved for payment in the demo data.
const GEM_QUEST = 'mg5a3f9c2e71d04b88'
const HEADER = ['Product ID', 'Name', 'Price (minor units)', 'Image URL', 'Description']
/** A valid 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')


async function openItems(page: Page): Promise<void> {
  await page.getByTestId('nav-items').click()
  await page.getByTestId('items-game-select').selectOption(GEM_QUEST)
  await expect(page.getByTestId('item-row-golden_sword')).toBeVisible()
}

async function sheet(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const items = book.addWorksheet('Items')
  items.addRow(HEADER)
  for (const row of rows) items.addRow(row)
  return Buffer.from(await book.xlsx.writeBuffer())
}

test('an item goes from the console to a player: add with an image, request release, the superapp approves, the game sells it', async ({ browser, hostShell }) => {
  // 1. The mini program administrator adds the item with an uploaded image.
  const admin = await consoleLogIn(browser, 'mpadmin')
  await openItems(admin)
  await admin.getByTestId('items-add').click()
  await admin.getByTestId('item-form-product-id').fill('comet_shard')
  await admin.getByTestId('item-form-name').fill('Comet Shard')
  await admin.getByTestId('item-form-price').fill('350')
  await expect(admin.getByTestId('item-form')).toContainText('= 3.50')
  await admin.getByTestId('item-form-image-file').setInputFiles({ name: 'comet.png', mimeType: 'image/png', buffer: PNG })
  await expect(admin.getByTestId('item-form-preview')).toHaveAttribute('src', /^blob:/)
  await admin.getByTestId('item-form-description').fill('A shard of a passing comet')
  await admin.getByTestId('item-form-save').click()
  await expect(admin.getByTestId('items-notice')).toContainText('Added comet_shard as a draft')
  await expect(admin.getByTestId('item-state-comet_shard')).toHaveText('Draft')
  await expect(admin.getByTestId('item-row-comet_shard').locator('img')).toHaveAttribute('src', /^\/media\/uploads\/[0-9a-f]{32}\.png$/)

  // 2. It asks for the release: the superapp has to approve it first.
  await admin.getByTestId('item-select-comet_shard').check()
  await admin.getByTestId('items-release-selected').click()
  await expect(admin.getByTestId('items-notice')).toContainText('sent to the superapp for approval')
  await expect(admin.getByTestId('item-state-comet_shard')).toHaveText('Pending release')
  await expect(admin.getByTestId('item-edit-comet_shard')).toBeDisabled()

  // 3. The super admin approves the release in the approvals queue.
  const superadmin = await consoleLogIn(browser, 'superadmin')
  await superadmin.getByTestId('nav-approvals').click()
  const request = superadmin.locator('[data-testid^="approval-row-"]', { hasText: 'comet_shard' })
  await expect(request).toContainText('Item release')
  await expect(request).toContainText('Gem Quest')
  await request.locator('[data-testid^="approve-"]').click()
  await expect(request.locator('[data-testid^="approval-status-"]')).toHaveText('approved')
  await superadmin.context().close()

  await admin.reload()
  await expect(admin.getByTestId('item-state-comet_shard')).toHaveText('Released')
  await admin.context().close()

  // 4. A player finds it in the game's shop and buys it.
  const { page, game } = hostShell
  await hostShell.open('player-1')
  const card = game.getByTestId('shop-item-comet_shard')
  await expect(card).toContainText('Comet Shard')
  await expect(card).toContainText('$3.50')
  await expect(game.getByTestId('shop-item-image-comet_shard')).toHaveAttribute('src', /\/media\/uploads\/[0-9a-f]{32}\.png$/)
  await card.click()
  await expect(page.getByTestId('pay-sheet')).toBeVisible()
  await expect(page.getByTestId('pay-sheet-name')).toHaveText('Comet Shard')
  await expect(page.getByTestId('pay-sheet-total')).toHaveText('$3.50')
  await expect(page.getByTestId('pay-sheet-image')).toHaveAttribute('src', /^\/media\/uploads\/[0-9a-f]{32}\.png$/)
  await page.getByTestId('pay-confirm').click()
  await expect(game.getByTestId('inventory-item-comet_shard')).toContainText('×1')
})

test('adding an item is all or nothing: a refused image creates nothing, keeps the form, and the next save with a good image adds it', async ({ browser }) => {
  const admin = await consoleLogIn(browser, 'mpadmin')
  await openItems(admin)
  await admin.getByTestId('items-add').click()
  await admin.getByTestId('item-form-product-id').fill('nebula_gem')
  await admin.getByTestId('item-form-name').fill('Nebula Gem')
  await admin.getByTestId('item-form-price').fill('420')

  // Not an image, though it says image/png: the server refuses it and nothing is created.
  await admin.getByTestId('item-form-image-file').setInputFiles({ name: 'nebula.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') })
  await admin.getByTestId('item-form-save').click()
  await expect(admin.getByTestId('item-form-error')).toContainText('not a PNG, JPEG or WebP image')
  await expect(admin.getByTestId('item-form')).toBeVisible()
  await expect(admin.getByTestId('item-row-nebula_gem')).toHaveCount(0)

  // Too large: refused before anything is sent, and Save does not add the item without it.
  await admin.getByTestId('item-form-image-file').setInputFiles({ name: 'nebula.png', mimeType: 'image/png', buffer: Buffer.alloc(600 * 1024, 1) })
  await expect(admin.getByTestId('item-form-error')).toContainText('the limit is 512 KiB')
  await admin.getByTestId('item-form-save').click()
  await expect(admin.getByTestId('item-form-error')).toContainText('the limit is 512 KiB')
  await expect(admin.getByTestId('item-form')).toBeVisible()
  await expect(admin.getByTestId('item-row-nebula_gem')).toHaveCount(0)

  // A good image: the same form saves, with the image, as one item.
  await admin.getByTestId('item-form-image-file').setInputFiles({ name: 'nebula.png', mimeType: 'image/png', buffer: PNG })
  await admin.getByTestId('item-form-save').click()
  await expect(admin.getByTestId('items-notice')).toContainText('Added nebula_gem as a draft')
  await expect(admin.getByTestId('item-form')).toHaveCount(0)
  await expect(admin.getByTestId('item-row-nebula_gem').locator('img')).toHaveAttribute('src', /^\/media\/uploads\/[0-9a-f]{32}\.png$/)

  // What the form showed is what was stored.
  await admin.reload()
  await expect(admin.getByTestId('item-row-nebula_gem').locator('img')).toHaveAttribute('src', /^\/media\/uploads\/[0-9a-f]{32}\.png$/)
  await expect(admin.getByTestId('item-state-nebula_gem')).toHaveText('Draft')
  await admin.context().close()
})

test('an import with a bad row shows the report and imports nothing, then the valid rows only when asked', async ({ browser }) => {
  const developer = await consoleLogIn(browser, 'developer')
  await openItems(developer)
  const file = await sheet([
    ['import_ok', 'Imported gem', 120, 'https://cdn.example.com/gem.png', ''],
    ['import_bad', 'Badly priced', 'two dollars', '', ''],
  ])
  await developer.getByTestId('items-import-file').setInputFiles({ name: 'items.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file })
  await developer.getByTestId('items-import-submit').click()

  const report = developer.getByTestId('import-report')
  await expect(report).toBeVisible()
  await expect(developer.getByTestId('import-refused')).toContainText('nothing was imported')
  const problem = developer.getByTestId('import-error')
  await expect(problem).toHaveCount(1)
  await expect(problem).toContainText('3')
  await expect(problem).toContainText('Price (minor units)')
  await expect(problem).toContainText('C3')
  await expect(problem).toContainText('the price is text ("two dollars")')
  await expect(developer.getByTestId('item-row-import_ok')).toHaveCount(0)

  await developer.getByTestId('items-import-valid-only').check()
  await developer.getByTestId('items-import-submit').click()
  await expect(developer.getByTestId('import-summary')).toContainText('1 added')
  await expect(developer.getByTestId('import-error')).toHaveCount(1)
  await expect(developer.getByTestId('item-state-import_ok')).toHaveText('Draft')
  await expect(developer.getByTestId('item-row-import_bad')).toHaveCount(0)
  await developer.context().close()
})

test('the item page has the seed\'s "enable notification" switch: it turns delivery notifications off and on, as Basic configuration shows', async ({ browser }) => {
  const admin = await consoleLogIn(browser, 'mpadmin')
  await openItems(admin)
  const toggle = admin.getByTestId('items-notifications-toggle')
  await expect(admin.getByTestId('items-notifications-state')).toHaveText('Enabled')
  await expect(toggle).toBeChecked()
  await toggle.uncheck()
  await expect(admin.getByTestId('items-notifications-state')).toHaveText('Disabled')
  await admin.getByTestId('nav-basic-config').click()
  await expect(admin.getByTestId('delivery-current-enabled')).toHaveText('Disabled')
  await openItems(admin)
  await admin.getByTestId('items-notifications-toggle').check()
  await expect(admin.getByTestId('items-notifications-state')).toHaveText('Enabled')
  await admin.context().close()

  // The operator sees the state, without the switch (Configure/modify is the team admins').
  const operator = await consoleLogIn(browser, 'operator')
  await openItems(operator)
  await expect(operator.getByTestId('items-notifications-state')).toHaveText('Enabled')
  await expect(operator.getByTestId('items-notifications-toggle')).toHaveCount(0)
  await operator.context().close()
})

test('each role sees the item controls its seed capabilities allow', async ({ browser }) => {
  const expectations: Record<string, { edit: boolean; template: boolean; release: boolean; remove: boolean }> = {
    platformadmin: { edit: false, template: false, release: false, remove: false },
    seniordev: { edit: true, template: true, release: true, remove: false },
    operator: { edit: false, template: false, release: false, remove: false },
    mpadmin: { edit: true, template: true, release: true, remove: true },
  }
  for (const [username, can] of Object.entries(expectations)) {
    const page = await consoleLogIn(browser, username)
    await openItems(page)
    await expect(page.getByTestId('item-state-dragon_egg')).toHaveText('Draft')
    await expect(page.getByTestId('items-export-xlsx')).toBeVisible()
    await expect(page.getByTestId('items-add'), username).toHaveCount(can.edit ? 1 : 0)
    await expect(page.getByTestId('import-section'), username).toHaveCount(can.edit ? 1 : 0)
    await expect(page.getByTestId('items-template'), username).toHaveCount(can.template ? 1 : 0)
    await expect(page.getByTestId('items-release-selected'), username).toHaveCount(can.release ? 1 : 0)
    await expect(page.getByTestId('items-remove-selected'), username).toHaveCount(can.remove ? 1 : 0)
    await expect(page.getByTestId('item-delete-dragon_egg'), username).toHaveCount(can.remove ? 1 : 0)
    await page.context().close()
  }
})
