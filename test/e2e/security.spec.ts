import { expect, test } from './fixtures'

/** Collects the page's Content-Security-Policy violations, from before its first script runs. */
async function watchViolations(page: import('@playwright/test').Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = [])
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
  })
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)
}

test('the host shell runs the game and opens the payment sheet under its Content-Security-Policy, with no violation', async ({ hostShell }) => {
  const violations = await watchViolations(hostShell.page)
  await hostShell.open('player-1')
  await hostShell.game.getByTestId('shop-item-gem_pack_small').click()
  await expect(hostShell.page.getByTestId('pay-sheet')).toBeVisible()
  await expect(hostShell.page.getByTestId('pay-sheet-image')).toHaveJSProperty('complete', true)
  await hostShell.page.getByTestId('pay-cancel').click()
  expect(await violations()).toEqual([])
})

test('the console works under its Content-Security-Policy, and Log out revokes the token on the server', async ({ browser, request }) => {
  const page = await (await browser.newContext()).newPage()
  const violations = await watchViolations(page)
  await page.goto('/console/#/login')
  await page.getByTestId('login-username').fill('mpadmin')
  await page.getByTestId('login-password').fill('password')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('current-user')).toContainText('mpadmin')
  await page.getByTestId('nav-items').click()
  await expect(page.getByTestId('item-state-gem_pack_small')).toBeVisible()
  await page.getByTestId('nav-deliveries').click()
  await expect(page.getByTestId('current-user')).toContainText('mpadmin')

  const token = await page.evaluate(() => Object.entries(sessionStorage).find(([key]) => key.startsWith('superapp-console.token'))?.[1])
  expect(token).toBeTruthy()
  const me = () => request.get('/console/api/v1/me', { headers: { authorization: `Bearer ${token}` } })
  expect((await me()).status()).toBe(200)
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('login-username')).toBeVisible()
  // A copy of the token (another tab, a script) no longer works either.
  expect((await me()).status()).toBe(401)
  expect(await violations()).toEqual([])
  await page.context().close()
})
