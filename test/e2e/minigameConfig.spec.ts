import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { servePackage } from '../support/packageServer'
import { consoleLogIn, expect, miniGameWorker, test } from './fixtures'

const PACKAGES = path.join(import.meta.dirname, 'minigames')
// What code evaluated in the runtime's worker sees, like game code.
declare const GameGlobal: typeof globalThis & { outcome?: Record<string, unknown>; report?: Record<string, unknown> }

test('request domains are set in the console, and a request elsewhere fails as on the host, saying where to add it', async ({ browser, page, request }) => {
  const admin = await consoleLogIn(browser, 'mpadmin')
  const served = await servePackage(path.join(PACKAGES, 'request-refused'))
  try {
    await admin.goto(`/console/#/virtual-payment/basic?appId=${DEMO_GAME.appId}`)
    const section = admin.getByTestId('request-domains-section')
    await expect(section.getByTestId('request-domains-note')).toContainText('the real host refuses localhost and IP addresses')
    await section.getByTestId('request-domains-edit').click()
    await section.getByTestId('request-domains-input').fill('https://api.example.com\nhttp://plain.example.com')
    await section.getByTestId('request-domains-save').click()
    await expect(section.getByTestId('request-domains-error')).toContainText('domain 2')
    await section.getByTestId('request-domains-input').fill('https://API.example.com/')
    await section.getByTestId('request-domains-save').click()
    await expect(section.getByTestId('request-domains-list')).toHaveText('https://api.example.com')

    await page.goto(`/host/?player=player-1&appId=${DEMO_GAME.appId}&package=${encodeURIComponent(served.url)}`)
    const worker = await miniGameWorker(page)
    await expect.poll(() => worker.evaluate(() => GameGlobal.outcome)).toEqual({ errMsg: 'request:fail url not in domain list', errno: 600002 })
    await expect(page.getByTestId('host-log')).toContainText(
      'https://unlisted.example.org is not in the request domains: add https://unlisted.example.org in Console > Basic configuration > Request domains of Gem Quest',
    )
  } finally {
    // The default sandbox is shared by the specs: leave its request domains as they were.
    const { token } = await (await request.post('/console/api/v1/session', { data: { username: 'mpadmin', password: 'password' } })).json()
    await request.put(`/console/api/v1/minigames/${DEMO_GAME.appId}/request-domains`, { data: { domains: [], allowLoopback: true }, headers: { authorization: `Bearer ${token}` } })
    await served.close()
    await admin.context().close()
  }
})

test('game.json: a landscape game with a status bar loads its subpackage with wx.loadSubpackage, not before; a missing API is undefined and named once; storage and the host\'s modal', async ({ page }) => {
  const served = await servePackage(path.join(PACKAGES, 'subpackages'))
  try {
    await page.goto(`/host/?player=player-1&package=${encodeURIComponent(served.url)}`)
    const worker = await miniGameWorker(page)
    await expect.poll(() => worker.evaluate(() => GameGlobal.report?.loaded)).toBe('loadSubpackage:ok')
    const report = await worker.evaluate(() => GameGlobal.report!)
    expect(report).toMatchObject({ width: 844, height: 390, statusBarHeight: 24, stage: 'stage 1 with 12 gems', progress: 100 })
    expect(report.beforeLoad).toMatch(/^module "\.\/stage1\/game\.js" is not defined/)
    expect(report.missing).toBe('loadSubpackage:fail subpackage "stage9" is not declared in game.json "subpackages"')
    await expect(page.locator('.phone')).toHaveClass(/landscape/)
    await expect(page.locator('.minigame-status-bar')).toBeVisible()

    // An API the runtime does not provide: undefined, canIUse false, named once in the panel.
    expect(report).toMatchObject({ canIUseRequest: true, canIUseButton: false, typeofButton: 'undefined' })
    await expect(page.getByTestId('host-log').getByText('wx.createUserInfoButton is not provided')).toHaveCount(1)
    // Storage: a missing key is '' in sync and a fail in async; values come back as stored.
    await expect.poll(() => worker.evaluate(() => GameGlobal.report?.stored)).toEqual({ best: 3, at: 0, errMsg: 'getStorage:ok' })
    expect(await worker.evaluate(() => [GameGlobal.report?.missingSync, GameGlobal.report?.missingAsync])).toEqual(['', 'getStorage:fail data not found'])
    // The host's modal, answered by the player.
    await expect(page.getByTestId('minigame-modal')).toContainText('Start the first stage?')
    await page.getByTestId('minigame-modal-cancel').click()
    await expect.poll(() => worker.evaluate(() => GameGlobal.report?.modal)).toEqual({ confirm: false, cancel: true, errMsg: 'showModal:ok' })

    // wx.onHide / wx.onShow follow the page's visibility (the tab hidden, then shown again);
    // onShow gets the launch options, as on the device.
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value })
        document.dispatchEvent(new Event('visibilitychange'))
      }, state)
    await setVisibility('hidden')
    await expect.poll(() => worker.evaluate(() => GameGlobal.report?.lifecycle)).toEqual(['hide'])
    await setVisibility('visible')
    await expect.poll(() => worker.evaluate(() => GameGlobal.report?.lifecycle)).toEqual(['hide', 'show object'])
  } finally {
    await served.close()
  }
})

test('a main package over 4 MB is refused as the host refuses it', async ({ page }) => {
  const folder = await mkdtemp(path.join(tmpdir(), 'big-package-'))
  // game.js pulls in 4 MB of level data from the main package: over the limit once loaded.
  await writeFile(path.join(folder, 'game.json'), '{}')
  await writeFile(path.join(folder, 'game.js'), "require('./levels.js')\nGameGlobal.started = true\n")
  await writeFile(path.join(folder, 'levels.js'), `module.exports = "${'x'.repeat(4 * 1024 * 1024)}"\n`)
  const served = await servePackage(folder)
  try {
    await page.goto(`/host/?player=player-1&package=${encodeURIComponent(served.url)}`)
    const refused = page.getByTestId('minigame-refused')
    await expect(refused).toContainText('The host refuses this package')
    await expect(refused).toContainText("main package source size 4,097 KB exceeds the host's limit of 4 MB (4,096 KB): the host refuses it (error 80051 on upload)")
    await expect(page.getByTestId('minigame-canvas')).toHaveCount(0)
  } finally {
    await served.close()
    await rm(folder, { recursive: true, force: true })
  }
})
