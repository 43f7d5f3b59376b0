/**
 * `npx tsx bench/fpsPackage.ts [--seconds 10] [--no-taps]`: the frame rate of the sample
 * game's mini game package build (sample-game/dist/minigame) in the host shell's runtime, in headless
 * Chromium at phone size, measured like the web build's in bench/fps.ts (same viewport,
 * DPR 1, a gem tapped every 400 ms, the launch flags of playwright.config.ts), and printed
 * beside that one, measured right before it on the same machine.
 *
 * What differs: the game runs in the runtime's worker, drawing on the shell's canvas handed
 * over as an OffscreenCanvas, so the figures come from inside the worker: the intervals of
 * its requestAnimationFrame (the runtime's, as game code sees it) and the time pixi's ticker
 * spends per frame. The backdrop is a texture under the scene (no DOM layer behind it).
 * The taps are the mouse on the shell's canvas, turned into wx touches by the runtime.
 */
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium, type Worker } from '@playwright/test'
import playwrightConfig from '../playwright.config'
import { buildStale } from '../scripts/artefacts.mjs'
import { startStack } from '../test/support/stack'
import { measureGameFps, startRecording, summarizeSample, type GameFpsResult, type PageSample } from './fps'

const VIEWPORT = { width: 390, height: 844 }

/** The shell's chrome hidden: the phone's screen, and so the game's window, is the viewport. */
const FULL_VIEWPORT_GAME = `
  .topbar, .side, .log, .notch, .capsule { display: none !important; }
  .stage { padding: 0 !important; gap: 0 !important; }
  .phone, .screen { width: 100vw !important; height: 100vh !important; padding: 0 !important; border-radius: 0 !important; box-shadow: none !important; }
`

export interface PackageFpsOptions {
  /** Length of the measured window. Default 10. */
  seconds?: number
  /** Tap a gem every 400 ms while measuring. Default true. */
  taps?: boolean
}

/** The figures of bench/fps.ts, for the package build. */
export type PackageFpsResult = GameFpsResult

/** Centres of the gems one can tap now, in the game window's pixels. */
function tappableGems(): Array<{ x: number; y: number }> {
  interface Node {
    children?: Node[]
    eventMode?: string
    cursor?: string
    label?: string
    visible: boolean
    getBounds(): { x: number; y: number; width: number; height: number }
  }
  const app = (globalThis as unknown as { __PIXI_APP__?: { stage: Node; screen: { height: number } } }).__PIXI_APP__
  const found: Array<{ x: number; y: number }> = []
  const visit = (node: Node) => {
    if (!node.visible) return
    // Gems: tappable, and not one of the HUD's labelled buttons.
    if (node.eventMode === 'static' && node.cursor === 'pointer' && !node.label) {
      const b = node.getBounds()
      if (b.y > 120 && b.y + b.height < app!.screen.height - 260) found.push({ x: b.x + b.width / 2, y: b.y + b.height / 2 })
    }
    node.children?.forEach(visit)
  }
  if (app) visit(app.stage)
  return found
}

/**
 * Opens the sample game's package build in the host shell at phone size in headless
 * Chromium and measures its frame rate while it plays.
 *
 * @example
 * const { fps, p95FrameMs } = await measurePackageFps({ seconds: 5 })
 */
export async function measurePackageFps(options: PackageFpsOptions = {}): Promise<PackageFpsResult> {
  const seconds = options.seconds ?? 10
  await buildStale(['minigame', 'host'])
  const stack = await startStack()
  const browser = await chromium
    .launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: playwrightConfig.use?.launchOptions?.args ?? ['--headless', '--no-sandbox', '--disable-gpu'] })
    .catch(async (error: unknown) => {
      await stack.close()
      throw error
    })
  try {
    // bypassCSP: the bench widens the game's canvas with a style tag, which the shell's policy refuses.
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, bypassCSP: true })
    const page = await context.newPage()
    const workerStarted = page.waitForEvent('worker')
    // Awaited below; if a step before fails, the browser's closing must not also end the process.
    workerStarted.catch(() => undefined)
    await page.goto(`${stack.sim.url}/host/?player=player-1&package=${encodeURIComponent(`${stack.game.url}/minigame/`)}`)
    await page.addStyleTag({ content: FULL_VIEWPORT_GAME })
    const worker: Worker = await workerStarted
    // tsx compiles this file with esbuild's keepNames: the evaluated functions call __name.
    await worker.evaluate('globalThis.__name = (fn) => fn')
    const deadline = Date.now() + 30_000
    while (!(await worker.evaluate(() => Boolean((globalThis as { gemQuestReady?: boolean; __PIXI_APP__?: unknown }).gemQuestReady && (globalThis as { __PIXI_APP__?: unknown }).__PIXI_APP__)))) {
      if (Date.now() > deadline) throw new Error('the package build did not start within 30 s')
      await page.waitForTimeout(200)
    }
    // Let the first gems fall in before the window opens, as bench/fps.ts does.
    await page.waitForTimeout(1500)
    const box = (await page.getByTestId('minigame-canvas').boundingBox())!

    const loadBefore = loadavg()[0]!
    await worker.evaluate(startRecording)
    let taps = 0
    const end = Date.now() + seconds * 1000
    while (Date.now() < end) {
      await page.waitForTimeout(Math.min(400, Math.max(0, end - Date.now())))
      if (options.taps === false || Date.now() >= end) continue
      const gem = (await worker.evaluate(tappableGems))[0]
      if (!gem) continue
      // The window is the canvas' CSS size here, so game pixels are page pixels from its corner.
      await page.mouse.click(box.x + gem.x, box.y + gem.y)
      taps++
    }
    const sample = await worker.evaluate(() => (globalThis as unknown as { __FPS_STOP__: () => PageSample }).__FPS_STOP__())
    const loadAfter = loadavg()[0]!
    return summarizeSample(sample, { viewport: { ...VIEWPORT, deviceScaleFactor: 1 }, taps, loadBefore, loadAfter })
  } finally {
    await browser.close()
    await stack.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { seconds: { type: 'string' }, 'no-taps': { type: 'boolean', default: false } } })
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds)
  if (seconds !== undefined && !(seconds > 0)) throw new Error(`--seconds must be a positive number, got "${values.seconds}"`)
  const taps = !values['no-taps']
  // One after the other on the same machine, the same window and taps: the web build, then the package.
  console.log(JSON.stringify({ build: 'web', ...(await measureGameFps({ seconds, taps })) }))
  console.log(JSON.stringify({ build: 'package', ...(await measurePackageFps({ seconds, taps })) }))
}
