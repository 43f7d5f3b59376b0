import { expect, test, consoleLogIn } from './fixtures'

// The demo data's second mini game: in mpadmin's team, merchant bound, payment not yet
// requested, no delivery configuration.
const STAR_DRIFT = 'mg2b7e4d9a05c13f66'
// The sample game (Gem Quest): approved and configured in the demo data.
const GEM_QUEST = 'mg5a3f9c2e71d04b88'


test('a wrong password is refused on the login page', async ({ page }) => {
  await page.goto('/console/')
  await page.getByTestId('demo-account-mpadmin').click()
  await expect(page.getByTestId('login-username')).toHaveValue('mpadmin')
  await page.getByTestId('login-password').fill('not-the-password')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('login-error')).toBeVisible()
  await expect(page.getByTestId('current-user')).toHaveCount(0)
})

test('payment permission: the team requests it, the superapp approves, the team configures delivery and gets its key by mail', async ({ browser }) => {
  // 1. The mini program administrator requests virtual payment for Star Drift.
  const admin = await consoleLogIn(browser, 'mpadmin')
  await expect(admin.getByTestId('current-user')).toContainText('Mini program administrator')
  await admin.getByTestId('nav-enable-payment').click()
  await expect(admin.getByTestId(`payment-status-${STAR_DRIFT}`)).toHaveText('none')
  await expect(admin.getByTestId(`game-row-${STAR_DRIFT}`)).toContainText('Star Drift')
  await admin.getByTestId(`request-payment-${STAR_DRIFT}`).click()
  const message = 'Star Drift sells ship skins and fuel packs.'
  await admin.getByTestId('request-message').fill(message)
  await admin.getByTestId('request-confirm').click()
  await expect(admin.getByTestId('request-confirm')).toHaveCount(0)
  await expect(admin.getByTestId(`payment-status-${STAR_DRIFT}`)).toHaveText('pending')
  await expect(admin.getByTestId(`request-payment-${STAR_DRIFT}`)).toBeDisabled()

  // 2. The superapp's super admin approves it.
  const superadmin = await consoleLogIn(browser, 'superadmin')
  await expect(superadmin.getByTestId('nav-enable-payment')).toHaveCount(0)
  await superadmin.getByTestId('nav-approvals').click()
  const row = superadmin.locator('[data-testid^="approval-row-"]', { hasText: message })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('Star Drift')
  await expect(row).toContainText('mpadmin')
  await row.locator('[data-testid^="approve-"]').click()
  await expect(row.locator('[data-testid^="approval-status-"]')).toHaveText('approved')
  await expect(row.locator('[data-testid^="approve-"]')).toHaveCount(0)

  // 3. The team sees the approval, configures delivery and receives its certificate and key.
  await admin.reload()
  await expect(admin.getByTestId(`payment-status-${STAR_DRIFT}`)).toHaveText('approved')
  await admin.getByTestId('nav-basic-config').click()
  await admin.getByTestId('basic-game-select').selectOption(STAR_DRIFT)
  await expect(admin.getByTestId('credentials-status')).toContainText('Not issued')
  await admin.getByTestId('configure-delivery').click()
  const deliveryUrl = `http://127.0.0.1:${process.env.E2E_GAME_PORT ?? 7171}/api/delivery`
  await admin.getByTestId('delivery-url').fill(deliveryUrl)
  await admin.getByTestId('delivery-test-url').fill(deliveryUrl)
  await admin.getByTestId('delivery-enabled').check()
  await admin.getByTestId('delivery-save').click()
  await expect(admin.getByTestId('delivery-warnings')).toContainText(/port/i)
  await expect(admin.getByTestId('delivery-saved')).toContainText(/sent to \S+@\S+/)
  await expect(admin.getByTestId('delivery-current-url')).toHaveText(deliveryUrl)
  await expect(admin.getByTestId('delivery-current-enabled')).toHaveText('Enabled')
  await expect(admin.getByTestId('credentials-status')).toContainText('Issued')

  await admin.getByTestId('nav-mailbox').click()
  // Newest first; the demo data already mailed Gem Quest's credentials to mpadmin.
  const keyMail = admin.getByTestId('mail-item').filter({ hasText: /certificate and key/i }).filter({ hasText: 'Star Drift' })
  await expect(keyMail).toHaveCount(1)
  await keyMail.click()
  const mail = admin.getByTestId('mail-body')
  await expect(mail).toContainText('BEGIN PRIVATE KEY')
  await expect(mail).toContainText('AppKey')
  await expect(mail).toContainText('Star Drift')

  await admin.context().close()
  await superadmin.context().close()
})

test('an operator sees the basic configuration read-only and no payment or approval pages', async ({ browser }) => {
  const operator = await consoleLogIn(browser, 'operator')
  await expect(operator.getByTestId('current-user')).toContainText('Mini program operator')
  await expect(operator.getByTestId('nav-basic-config')).toBeVisible()
  await expect(operator.getByTestId('nav-mailbox')).toBeVisible()
  await expect(operator.getByTestId('nav-enable-payment')).toHaveCount(0)
  await expect(operator.getByTestId('nav-approvals')).toHaveCount(0)

  await operator.getByTestId('nav-basic-config').click()
  await operator.getByTestId('basic-game-select').selectOption(GEM_QUEST)
  await expect(operator.getByTestId('delivery-current-url')).toContainText('/api/delivery')
  await expect(operator.getByTestId('delivery-current-enabled')).toHaveText('Enabled')
  await expect(operator.getByTestId('exemption-status')).toBeVisible()
  await expect(operator.getByTestId('configure-delivery')).toHaveCount(0)
  await expect(operator.getByTestId('credentials-reset')).toHaveCount(0)
  await expect(operator.getByTestId('test-push')).toHaveCount(0)
  await expect(operator.getByTestId('exemption-request')).toHaveCount(0)
  await expect(operator.getByTestId('exemption-revoke')).toHaveCount(0)

  await operator.getByTestId('logout').click()
  await expect(operator.getByTestId('login-username')).toBeVisible()
  // The token is gone with the session: a protected page leads back to the login.
  await operator.goto('/console/#/virtual-payment/basic')
  await expect(operator.getByTestId('login-username')).toBeVisible()
  await operator.context().close()
})
