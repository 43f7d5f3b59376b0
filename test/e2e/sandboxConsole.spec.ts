import { expect, test, consoleLogIn } from './fixtures'

// The demo data's games: Gem Quest (configured, with items) and Star Drift (payment not yet requested).
const GEM_QUEST = 'mg5a3f9c2e71d04b88'
const STAR_DRIFT = 'mg2b7e4d9a05c13f66'
const SANDBOX = 'e2e-console'

/**
 * The console opened under /sandbox/<name>/console/ is that sandbox's console: it reads and
 * writes that sandbox's data through the API beside the page, not the default sandbox's.
 */
test("the console under /sandbox/<name>/ shows and changes that sandbox's data only", async ({ browser, request }) => {
  expect((await request.post(`/sandbox/${SANDBOX}/_sim/reset`, { data: { fixture: 'demo' } })).ok()).toBe(true)
  // An item only this sandbox has, added over its own console API.
  const login = await request.post(`/sandbox/${SANDBOX}/console/api/v1/session`, { data: { username: 'mpadmin', password: 'password' } })
  const { token } = (await login.json()) as { token: string }
  const added = await request.post(`/sandbox/${SANDBOX}/console/api/v1/minigames/${GEM_QUEST}/items`, {
    headers: { authorization: `Bearer ${token}` },
    data: { productId: 'sandbox_lantern', name: 'Sandbox Lantern', price: 42 },
  })
  expect(added.status()).toBe(201)

  const page = await consoleLogIn(browser, 'mpadmin', `/sandbox/${SANDBOX}`)
  await page.getByTestId('nav-items').click()
  const picker = page.getByTestId('items-game-select')
  if (await picker.count()) await picker.selectOption(GEM_QUEST)
  await expect(page.getByTestId('item-state-sandbox_lantern')).toBeVisible()

  // A change made in this console lands in the sandbox, and not in the default one.
  const message = `Sandbox-only request ${Date.now()}`
  await page.getByTestId('nav-enable-payment').click()
  await page.getByTestId(`request-payment-${STAR_DRIFT}`).click()
  await page.getByTestId('request-message').fill(message)
  await page.getByTestId('request-confirm').click()
  await expect(page.getByTestId(`payment-status-${STAR_DRIFT}`)).toHaveText('pending')
  const approvalsOf = async (base: string) => {
    const session = await request.post(`${base}/console/api/v1/session`, { data: { username: 'superadmin', password: 'password' } })
    const reply = await request.get(`${base}/console/api/v1/approvals`, { headers: { authorization: `Bearer ${((await session.json()) as { token: string }).token}` } })
    return JSON.stringify(await reply.json())
  }
  expect(await approvalsOf(`/sandbox/${SANDBOX}`)).toContain(message)
  expect(await approvalsOf('')).not.toContain(message)

  // The default console does not see the sandbox's item.
  const main = await consoleLogIn(browser, 'mpadmin')
  await main.getByTestId('nav-items').click()
  const mainPicker = main.getByTestId('items-game-select')
  if (await mainPicker.count()) await mainPicker.selectOption(GEM_QUEST)
  await expect(main.getByTestId(`item-state-gem_pack_small`)).toBeVisible()
  await expect(main.getByTestId('item-state-sandbox_lantern')).toHaveCount(0)

  await page.context().close()
  await main.context().close()
  await request.delete(`/sandbox/${SANDBOX}/_sim/sandbox`)
})
