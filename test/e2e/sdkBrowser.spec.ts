import { createRequire } from 'node:module'
import path from 'node:path'
import express from 'express'
import type { Frame, Page } from '@playwright/test'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { REPO_ROOT, buildStale } from '../../scripts/artefacts.mjs'
import { listen } from '../support/http'
import { expect, test } from './fixtures'

/**
 * game-sdk's browser entry in real Chromium, as a game ships it: the built
 * game-sdk/dist/browser.js, loaded as an ES module by a plain page (test/e2e/sdk-browser/).
 * getWx() outside a host and beside a native wx, login through the real host shell, and the
 * postMessage transport's filters: a result counts only from the host window, on the host's
 * origin, and login gives up after its timeout (on Playwright's clock, not by waiting).
 *
 * One small server answers on two origins: the game on http://127.0.0.1:<port>, the test's
 * own hosts on http://localhost:<port>.
 */
let server: { url: string; close: () => Promise<void> }
let gameOrigin: string
let hostOrigin: string

test.beforeAll(async () => {
  // The package build is not part of npm start: built here when game-sdk/src changed since.
  await buildStale(['game-sdk'])
  const zodDir = path.dirname(createRequire(import.meta.url).resolve('zod'))
  const app = express()
  app.use('/sdk', express.static(path.join(REPO_ROOT, 'game-sdk/dist')))
  app.use('/modules/zod', express.static(zodDir))
  app.use(express.static(path.join(import.meta.dirname, 'sdk-browser')))
  server = await listen(app)
  gameOrigin = server.url
  hostOrigin = server.url.replace('127.0.0.1', 'localhost')
})

test.afterAll(async () => {
  await server?.close()
})

/** Waits until the page's module ran (window.sdk is there). */
async function ready(frame: Frame | Page) {
  await expect(frame.locator('body')).toHaveAttribute('data-ready', 'true')
}

/** The fake host page with the game framed (and an intruder frame on the host's origin when asked), and the game's frame. */
async function openInFakeHost(page: Page, options: { intruder?: boolean } = {}) {
  const query = new URLSearchParams({ game: `${gameOrigin}/game.html`, ...(options.intruder ? { intruder: '1' } : {}) })
  await page.goto(`${hostOrigin}/fake-host.html?${query}`)
  await expect.poll(() => page.frames().find((f) => f.url() === `${gameOrigin}/game.html`)).toBeTruthy()
  const game = page.frames().find((f) => f.url() === `${gameOrigin}/game.html`)!
  await ready(game)
  return game
}

/** The HOST_CALLs a window received, once there are `count`. */
async function callsIn(frame: Frame | Page, count: number): Promise<{ callId: string; api: string }[]> {
  await expect.poll(() => frame.evaluate(() => ((window as unknown as { calls?: unknown[] }).calls ?? []).length)).toBe(count)
  return frame.evaluate(() => (window as unknown as { calls: { callId: string; api: string }[] }).calls)
}

async function navigateItself(page: Page, url: string) {
  await Promise.all([page.waitForURL(url), page.evaluate((target) => void (location.href = target), url)])
  await page.waitForLoadState()
}

const settled = (frame: Frame | Page) => frame.evaluate(() => (window as unknown as { settled?: Record<string, unknown> }).settled ?? null)
const probes = (frame: Frame | Page) => frame.evaluate(() => (window as unknown as { probes: string[] }).probes)

test.describe('game-sdk/browser in Chromium', () => {
  test('getWx() outside a host frame throws NO_HOST and says how to open the game', async ({ page }) => {
    await page.goto(`${gameOrigin}/game.html`)
    await ready(page)
    const thrown = await page.evaluate(() => {
      try {
        ;(window as unknown as { sdk: { getWx(): unknown } }).sdk.getWx()
        return null
      } catch (error) {
        const { name, code, message } = error as { name: string; code: string; message: string }
        return { name, code, message }
      }
    })
    expect(thrown).toEqual({
      name: 'GameSdkError',
      code: 'NO_HOST',
      message: '[game-sdk] no host shell: this page is not running inside a superapp frame. Open it through the simulator, e.g. http://localhost:7070/host/?game=<your game URL>.',
    })
  })

  test('getWx() returns the native wx when the page has one, as on a real superapp', async ({ page }) => {
    await page.goto(`${gameOrigin}/game.html`)
    await ready(page)
    const same = await page.evaluate(() => {
      const native = { requestMidasPaymentGameItem() {}, login() {} }
      Object.assign(window, { wx: native })
      return (window as unknown as { sdk: { getWx(): unknown } }).sdk.getWx() === native
    })
    expect(same).toBe(true)
  })

  test('logs in through the real host shell over postMessage', async ({ page, baseURL }) => {
    const gameUrl = `${gameOrigin}/game.html`
    await page.goto(`${baseURL}/host/?${new URLSearchParams({ player: 'player-1', appId: DEMO_GAME.appId, game: gameUrl })}`)
    await expect.poll(() => page.frames().find((f) => f.url() === gameUrl)).toBeTruthy()
    const game = page.frames().find((f) => f.url() === gameUrl)!
    await ready(game)
    await game.evaluate(() => (window as unknown as { startLogin(options?: object): void }).startLogin())
    await expect.poll(() => settled(game)).toMatchObject({ errMsg: 'login:ok' })
    expect((await settled(game))!.code).toMatch(/^\S{8,}$/)
  })

  test('login fails with the timeout when the host never answers, not a moment before', async ({ page }) => {
    await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') })
    const game = await openInFakeHost(page)
    // Time stands still from here: only runFor moves it.
    await page.clock.pauseAt(new Date('2026-01-01T01:00:00Z'))
    await game.evaluate(() => (window as unknown as { startLogin(options?: object): void }).startLogin())
    expect(await callsIn(page, 1)).toMatchObject([{ api: 'login' }])
    await page.clock.runFor(9_999)
    expect(await settled(game)).toBeNull()
    await page.clock.runFor(1)
    await expect.poll(() => settled(game)).toEqual({ errMsg: 'login:fail [game-sdk] the host did not answer login within 10000 ms', errno: 1 })
  })

  test('takes a result only from its host window: another window of the host origin is ignored (source filter)', async ({ page }) => {
    const game = await openInFakeHost(page, { intruder: true })
    await game.evaluate(() => (window as unknown as { startLogin(options?: object): void }).startLogin())
    const [call] = await callsIn(page, 1)
    const intruder = page.frame({ name: 'intruder' })!
    await expect.poll(() => intruder.evaluate(() => typeof (window as unknown as { answer?: unknown }).answer)).toBe('function')
    await intruder.evaluate((callId) => (window as unknown as { answer(id: string, probe: string): void }).answer(callId, 'intruder'), call!.callId)
    await expect.poll(() => probes(game)).toEqual(['intruder'])
    expect(await settled(game)).toBeNull()
    await page.evaluate((callId) => (window as unknown as { answer(id: string, probe: string): void }).answer(callId, 'host'), call!.callId)
    await expect.poll(() => settled(game)).toEqual({ errMsg: 'login:ok', code: 'code-from-the-host' })
  })

  test('takes a result only on the host origin: its host window, navigated to another origin, is ignored (origin filter)', async ({ page, context }) => {
    await page.goto(`${gameOrigin}/game.html`)
    await ready(page)
    // The host is a popup the game opened (host option): the one window that can change origin under the game.
    const popupOpened = context.waitForEvent('page')
    await page.evaluate((url) => Object.assign(window, { host: window.open(url) }), `${hostOrigin}/intruder.html`)
    const host = await popupOpened
    await host.waitForLoadState()
    await page.evaluate((origin) => {
      const w = window as unknown as { host: Window; startLogin(options: object): void }
      w.startLogin({ host: w.host, hostOrigin: origin })
    }, hostOrigin)
    const [call] = await callsIn(host, 1)

    // Navigated by its own script, as a page navigates itself: the game keeps its window (and the window its opener).
    await navigateItself(host, `${gameOrigin}/intruder.html`)
    await host.evaluate((callId) => (window as unknown as { answer(id: string, probe: string): void }).answer(callId, 'wrong-origin'), call!.callId)
    await expect.poll(() => probes(page)).toEqual(['wrong-origin'])
    expect(await settled(page)).toBeNull()

    await navigateItself(host, `${hostOrigin}/intruder.html`)
    await host.evaluate((callId) => (window as unknown as { answer(id: string, probe: string): void }).answer(callId, 'host-origin'), call!.callId)
    await expect.poll(() => settled(page)).toEqual({ errMsg: 'login:ok', code: `code-from-${hostOrigin}` })
  })
})
