/**
 * `npx tsx --conditions=superapp-sim-source bench/firstScreen.ts [--runs 3] [--url <host shell URL>]`
 * (`npm run bench:first-screen`): where the time goes between opening the host shell and the
 * game saying "Signed in", in headless Chromium. One JSON line per run, then the median
 * split as shares of the whole.
 *
 * Timestamps, on one clock (each frame's performance.timeOrigin + now()):
 * - the host page's navigation and its /host/api/config;
 * - the game frame's navigation, its scripts, DOMContentLoaded;
 * - wx.login as the host receives it (HOST_CALL) and as the game receives the code (HOST_RESULT),
 *   with the host's /host/api/login between;
 * - the game's /api/login to its server, and inside it the server's code2session call (the
 *   game server's own Server-Timing is not there, so code2session is timed here once on its
 *   own against the same simulator);
 * - "Signed in" appearing in the game's status line;
 * - the game frame's long tasks (main thread busy over 50 ms): what delays a message or a fetch.
 *
 * Not a test: it asserts nothing about time (the machine's load average is printed with it).
 */
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { chromium, type Frame } from '@playwright/test'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import playwrightConfig from '../playwright.config'
import { buildStale } from '../scripts/artefacts.mjs'
import { startStack } from '../test/support/stack'
import { round } from './stats'

interface FrameTimes {
  timeOrigin: number
  marks: { name: string; at: number }[]
  resources: { name: string; start: number; end: number }[]
  navigation: { domContentLoaded: number; load: number } | undefined
  longTasks: { start: number; duration: number }[]
}

/** In every frame: message and status marks, and long tasks, each on the epoch clock. */
const RECORDER = `(() => {
  const at = () => performance.timeOrigin + performance.now()
  const marks = (window.__firstScreenMarks = [])
  const longTasks = (window.__firstScreenLongTasks = [])
  addEventListener('message', (event) => {
    const data = event.data
    if (data && data.source === 'superapp-sim') marks.push({ name: data.type + (data.payload && data.payload.api ? ' ' + data.payload.api : ''), at: at() })
  }, true)
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration }) }).observe({ type: 'longtask', buffered: true })
  } catch {}
  const watch = () => {
    const status = document.querySelector('[data-testid="game-status"]')
    if (status && /Signed in/.test(status.textContent || '') && !marks.some((m) => m.name === 'Signed in shown')) marks.push({ name: 'Signed in shown', at: at() })
  }
  document.addEventListener('DOMContentLoaded', () => new MutationObserver(watch).observe(document.body, { subtree: true, childList: true, characterData: true }))
})()`

async function timesOf(frame: Frame): Promise<FrameTimes> {
  return frame.evaluate(() => {
    const w = window as unknown as { __firstScreenMarks?: FrameTimes['marks']; __firstScreenLongTasks?: FrameTimes['longTasks'] }
    const origin = performance.timeOrigin
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    return {
      timeOrigin: origin,
      marks: w.__firstScreenMarks ?? [],
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ name: new URL(r.name).pathname, start: origin + r.startTime, end: origin + r.responseEnd })),
      navigation: navigation ? { domContentLoaded: origin + navigation.domContentLoadedEventEnd, load: origin + navigation.loadEventEnd } : undefined,
      longTasks: w.__firstScreenLongTasks ?? [],
    }
  })
}

/** code2session on its own: a host code, exchanged the way the game server exchanges it. */
async function code2SessionMs(simulatorUrl: string): Promise<number> {
  const issued = await fetch(`${simulatorUrl}/host/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId: DEMO_GAME.appId, playerId: 'player-2' }) })
  const { code } = (await issued.json()) as { code: string }
  const started = performance.now()
  const query = new URLSearchParams({ appid: DEMO_GAME.appId, secret: DEMO_GAME.appSecret, js_code: code, grant_type: 'authorization_code' })
  await (await fetch(`${simulatorUrl}/sns/jscode2session?${query}`)).json()
  return performance.now() - started
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, url: { type: 'string' } } })
  let url = values.url
  let close = async () => {}
  let simulatorUrl = url ? new URL(url).origin : ''
  if (!url) {
    await buildStale(['host', 'game'])
    const stack = await startStack()
    url = `${stack.sim.url}/host/?player=player-1`
    simulatorUrl = stack.sim.url
    close = () => stack.close()
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: playwrightConfig.use?.launchOptions?.args })
  const rows: Record<string, number>[] = []
  try {
    for (let run = 0; run < Number(values.runs); run++) {
      const loadBefore = loadavg()[0]!
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      await context.addInitScript(RECORDER)
      const page = await context.newPage()
      await page.goto(url)
      const frame = await (await page.waitForSelector('[data-testid="game-frame"]')).contentFrame()
      if (!frame) throw new Error('the host shell has no game frame')
      await frame.waitForSelector('[data-testid="game-status"]:has-text("Signed in")', { timeout: 120_000 })
      const host = await timesOf(page.mainFrame())
      const game = await timesOf(frame)
      const t0 = host.timeOrigin
      const since = (at: number | undefined) => (at === undefined ? NaN : round(at - t0, 0))
      const mark = (times: FrameTimes, name: string) => times.marks.find((m) => m.name === name)?.at
      const resource = (times: FrameTimes, path: string) => times.resources.find((r) => r.name.endsWith(path))
      const gameLogin = resource(game, '/api/login')
      const hostLogin = resource(host, '/host/api/login')
      const scripts = game.resources.filter((r) => /\.(m?js)$/.test(r.name))
      const busy = (from: number, to: number) => round(game.longTasks.filter((t) => t.start >= from && t.start < to).reduce((sum, t) => sum + t.duration, 0), 0)
      const row = {
        run: run + 1,
        hostConfigLoaded: since(resource(host, '/host/api/config')?.end),
        gameNavigationStart: since(game.timeOrigin),
        gameScriptsLoaded: since(Math.max(...scripts.map((s) => s.end))),
        gameDomContentLoaded: since(game.navigation?.domContentLoaded),
        wxLoginReachesHost: since(mark(host, 'HOST_CALL login')),
        hostLoginStart: since(hostLogin?.start),
        hostLoginEnd: since(hostLogin?.end),
        codeReachesGame: since(mark(game, 'HOST_RESULT')),
        gameApiLoginStart: since(gameLogin?.start),
        gameApiLoginEnd: since(gameLogin?.end),
        shopStart: since(resource(game, '/api/shop')?.start),
        shopEnd: since(resource(game, '/api/shop')?.end),
        inventoryEnd: since(resource(game, '/api/inventory')?.end),
        signedInShown: since(mark(game, 'Signed in shown')),
        gameLongTasksBeforeLoginMs: busy(game.timeOrigin, gameLogin?.start ?? Infinity),
        gameLongTasksAfterLoginMs: busy(gameLogin?.start ?? Infinity, mark(game, 'Signed in shown') ?? Infinity),
        gameLongTasksTotalMs: busy(0, Infinity),
        code2SessionAloneMs: round(await code2SessionMs(simulatorUrl), 1),
        load1m: round((loadBefore + loadavg()[0]!) / 2, 2),
        cores: cpus().length,
      }
      rows.push(row)
      console.log(JSON.stringify(row))
      await context.close()
    }
  } finally {
    await browser.close()
    await close()
  }
  // The median run's split: each step's share of the time to "Signed in".
  const median = [...rows].sort((a, b) => a.signedInShown! - b.signedInShown!)[Math.floor(rows.length / 2)]!
  const total = median.signedInShown!
  const step = (name: string, from: number, to: number) => `${name.padEnd(52)} ${String(round(to - from, 0)).padStart(6)} ms  ${((100 * (to - from)) / total).toFixed(0).padStart(3)}%`
  console.log(
    [
      `median run (${median.run}): "Signed in" after ${total} ms; load average ${median.load1m} on ${median.cores} cores`,
      step('host page to its game frame starting', 0, median.gameNavigationStart!),
      step("game frame: loading and running its scripts to wx.login", median.gameNavigationStart!, median.wxLoginReachesHost!),
      step('wx.login: host receives it, /host/api/login answers', median.wxLoginReachesHost!, median.hostLoginEnd!),
      step('code back to the game (postMessage)', median.hostLoginEnd!, median.codeReachesGame!),
      step('game: code received to its /api/login request', median.codeReachesGame!, median.gameApiLoginStart!),
      step(`/api/login (code2session alone: ${median.code2SessionAloneMs} ms)`, median.gameApiLoginStart!, median.gameApiLoginEnd!),
      step('/api/shop and /api/inventory answered', median.gameApiLoginEnd!, Math.max(median.shopEnd!, median.inventoryEnd!)),
      step('to "Signed in" on screen', Math.max(median.shopEnd!, median.inventoryEnd!), total),
      `game main thread in long tasks: ${median.gameLongTasksBeforeLoginMs} ms before /api/login, ${median.gameLongTasksAfterLoginMs} ms from it to "Signed in"`,
    ].join('\n'),
  )
}

await main()
