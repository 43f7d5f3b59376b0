/**
 * `npx tsx bench/fps.ts [--seconds 10] [--width 390 --height 844] [--dpr 1] [--runs 3] [--no-taps] [--touch]
 *   [--url <host shell URL>] [--client-dir <built game>]`: one JSON line per run,
 * the sample game's frame rate in headless Chromium at phone size, while it plays.
 *
 * What it runs: the system Chromium, launched with the flags of playwright.config.ts (so
 * WebGL is Chromium's software fallback, as in CI); the simulator and the sample game server
 * in this process (the game only plays inside a host that signs the player in), the built
 * pages from dist/ (rebuilt first when their sources are newer). The host shell is opened as
 * a test player with its chrome hidden, so the game's frame fills the phone-size viewport.
 *
 * What it measures, inside the game's frame: requestAnimationFrame timestamps over the
 * window (fps and the 95th percentile frame interval), and the main-thread time pixi's
 * ticker spends per frame (the game's update plus pixi's render submission). Meanwhile it
 * taps a gem every 400 ms with the mouse (or a finger: --touch), so collecting, its burst and
 * the counter are in the measurement too. It reports which renderer pixi picked, WebGL's
 * renderer string, and the machine's load average: other work on the machine shows in fps.
 */
import { cpus, loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium, type Frame, type Page } from '@playwright/test'
import playwrightConfig from '../playwright.config'
import { buildStale } from '../scripts/artefacts.mjs'
import { startStack } from '../test/support/stack'
import { percentile, round } from './stats'


export interface Viewport {
  width: number
  height: number
}

export interface GameFpsOptions {
  /**
   * A host shell page already running a game (`http://localhost:7070/host/?player=player-1`).
   * Default: a simulator and sample game server started in this process.
   */
  url?: string
  /** Length of the measured window. Default 10. */
  seconds?: number
  /** CSS pixels. Default 390x844, an iPhone 12-15's portrait viewport. */
  viewport?: Viewport
  /**
   * Default 1. A real phone is 3; the game caps its resolution at 2, and at DPR 2 the
   * software rasterizer fills four times the pixels of DPR 1.
   */
  deviceScaleFactor?: number
  /** Tap a gem every 400 ms while measuring. Default true. */
  taps?: boolean
  /** Touch instead of mouse for the taps (the context then has touch). Default false. */
  touch?: boolean
  /** Built game client to serve when this process starts the servers. Default sample-game/dist/web. */
  clientDir?: string
}

export interface GameFpsResult {
  fps: number
  p95FrameMs: number
  /** Frames longer than 1.5 intervals of 60 Hz (25 ms). */
  longFrames: number
  frames: number
  seconds: number
  viewport: Viewport & { deviceScaleFactor: number }
  /** Pixi's renderer: webgl, webgpu or canvas. */
  renderer: string
  /** WebGL's UNMASKED_RENDERER string (SwiftShader, or a real GPU). */
  glRenderer: string
  /** Main-thread ms per frame in pixi's ticker (update + render submission): median and p95. */
  tickMs: { p50: number; p95: number }
  /** Size of the canvas' drawing buffer in device pixels. */
  canvas: { width: number; height: number }
  taps: number
  /** Load average of this machine (1 minute) before and after the window, and its cores. */
  load: { before: number; after: number; cores: number }
}

/** The launch flags of the end-to-end tests, so the bench sees the browser CI sees. */
function launchArgs(): string[] {
  return playwrightConfig.use?.launchOptions?.args ?? ['--headless', '--no-sandbox', '--disable-gpu']
}

/** The simulator and the sample game server on free ports, wired as `npm start` wires them. */
async function startServers(clientDir: string | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const stack = await startStack({ clientDir })
  return { url: `${stack.sim.url}/host/?player=player-1`, close: () => stack.close() }
}

/**
 * The host shell's chrome (top bar, event log, the drawn phone around a fixed 390x844
 * screen) is hidden, so the game's frame is exactly the viewport at any size asked for.
 */
const FULL_VIEWPORT_GAME = `
  .topbar, .side, .log, .notch { display: none !important; }
  .stage { padding: 0 !important; gap: 0 !important; }
  .phone, .screen { width: 100vw !important; height: 100vh !important; padding: 0 !important; border-radius: 0 !important; box-shadow: none !important; }
`

async function openGame(page: Page, url: string): Promise<Frame> {
  await page.goto(url)
  await page.addStyleTag({ content: FULL_VIEWPORT_GAME })
  const frameElement = await page.waitForSelector('[data-testid="game-frame"]')
  const frame = await frameElement.contentFrame()
  if (!frame) throw new Error('the host shell has no game frame')
  // Signed in, shop loaded, and pixi's application running.
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
  await frame.waitForFunction(() => !!(globalThis as { __PIXI_APP__?: unknown }).__PIXI_APP__, undefined, { timeout: 30_000 })
  return frame
}

/** What startRecording's stop function returns. */
export interface PageSample {
  intervals: number[]
  ticks: number[]
  renderer: string
  glRenderer: string
  canvas: { width: number; height: number }
}

/**
 * Runs where the game's pixi application is (the web build's frame, or the package build's
 * worker; Playwright sends the function's source, so it uses nothing from outside itself):
 * starts recording frame intervals and pixi's tick time; `__FPS_STOP__()` stops and reports.
 */
export function startRecording(): void {
  interface PixiLike {
    renderer: { name: string; gl?: WebGLRenderingContext; canvas: { width: number; height: number } }
    ticker: { add(fn: () => void, context?: unknown, priority?: number): void }
  }
  const app = (globalThis as { __PIXI_APP__?: PixiLike }).__PIXI_APP__!
  const intervals: number[] = []
  const ticks: number[] = []
  let last = 0
  let tickStart = 0
  let recording = true
  const frame = (now: number) => {
    if (!recording) return
    if (last) intervals.push(now - last)
    last = now
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  // Around everything else in pixi's ticker: the game's update (0) and pixi's render (-25).
  app.ticker.add(() => void (tickStart = performance.now()), undefined, 1000)
  app.ticker.add(() => void (recording && tickStart && ticks.push(performance.now() - tickStart)), undefined, -1000)

  // A worker has no document: there the renderer's own context is the one to ask.
  const gl = app.renderer.gl ?? (typeof document === 'undefined' ? undefined : document.createElement('canvas').getContext('webgl'))
  const info = gl?.getExtension('WEBGL_debug_renderer_info')
  const glRenderer = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'no WebGL'
  ;(globalThis as { __FPS_STOP__?: () => PageSample }).__FPS_STOP__ = () => {
    recording = false
    const canvas = app.renderer.canvas
    return { intervals, ticks, renderer: app.renderer.name, glRenderer, canvas: { width: canvas.width, height: canvas.height } }
  }
}

/** A recorded window as the bench reports it: frame rate, p95 frame, long frames, pixi's tick time, and the machine's load. Both builds use it. */
export function summarizeSample(sample: PageSample, context: { viewport: GameFpsResult['viewport']; taps: number; loadBefore: number; loadAfter: number }): GameFpsResult {
  const elapsed = sample.intervals.reduce((sum, ms) => sum + ms, 0)
  return {
    fps: round((sample.intervals.length / elapsed) * 1000, 1),
    p95FrameMs: round(percentile(sample.intervals, 95), 1),
    longFrames: sample.intervals.filter((ms) => ms > 25).length,
    frames: sample.intervals.length,
    seconds: round(elapsed / 1000, 2),
    viewport: context.viewport,
    renderer: sample.renderer,
    glRenderer: sample.glRenderer,
    tickMs: { p50: round(percentile(sample.ticks, 50), 2), p95: round(percentile(sample.ticks, 95), 2) },
    canvas: sample.canvas,
    taps: context.taps,
    load: { before: round(context.loadBefore, 2), after: round(context.loadAfter, 2), cores: cpus().length },
  }
}

/** Centres of the gems one can tap now, in the frame's CSS pixels. */
function tappableGems(): Array<{ x: number; y: number }> {
  interface Node {
    children?: Node[]
    eventMode?: string
    cursor?: string
    visible: boolean
    worldAlpha?: number
    getBounds(): { x: number; y: number; width: number; height: number }
  }
  const app = (globalThis as { __PIXI_APP__?: { stage: Node } }).__PIXI_APP__
  const found: Array<{ x: number; y: number }> = []
  const visit = (node: Node) => {
    if (!node.visible) return
    if (node.eventMode === 'static' && node.cursor === 'pointer') {
      const b = node.getBounds()
      if (b.y > 120 && b.y + b.height < innerHeight - 260) found.push({ x: b.x + b.width / 2, y: b.y + b.height / 2 })
    }
    node.children?.forEach(visit)
  }
  if (app) visit(app.stage)
  return found
}

/**
 * Opens the sample game at phone size in headless Chromium and measures its frame rate
 * while it plays.
 *
 * @example
 * const { fps, p95FrameMs, renderer } = await measureGameFps({ seconds: 10 })
 */
export async function measureGameFps(options: GameFpsOptions = {}): Promise<GameFpsResult> {
  const seconds = options.seconds ?? 10
  const viewport = options.viewport ?? { width: 390, height: 844 }
  const deviceScaleFactor = options.deviceScaleFactor ?? 1
  let servers: { url: string; close(): Promise<void> } | undefined
  if (!options.url) {
    if (!options.clientDir) await buildStale(['game', 'host'])
    servers = await startServers(options.clientDir)
  }
  const browser = await chromium
    .launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: launchArgs() })
    .catch(async (error: unknown) => {
      await servers?.close()
      throw error
    })
  try {
    // bypassCSP: the bench widens the game's frame with a style tag, which the shell's policy refuses.
    const context = await browser.newContext({ viewport, deviceScaleFactor, hasTouch: !!options.touch, isMobile: false, bypassCSP: true })
    // tsx compiles this file with esbuild's keepNames, which wraps functions in `__name(…)`:
    // the functions evaluated in the page need that helper there too.
    await context.addInitScript('globalThis.__name = (fn) => fn')
    const page = await context.newPage()
    const frame = await openGame(page, options.url ?? servers!.url)
    const frameBox = (await (await frame.frameElement()).boundingBox())!
    // Let the first gems fall in and the shop images load before the window opens.
    await page.waitForTimeout(1500)

    const loadBefore = loadavg()[0]!
    await frame.evaluate(startRecording)
    let taps = 0
    const deadline = Date.now() + seconds * 1000
    while (Date.now() < deadline) {
      await page.waitForTimeout(Math.min(400, Math.max(0, deadline - Date.now())))
      if (options.taps === false || Date.now() >= deadline) continue
      const gem = (await frame.evaluate(tappableGems))[0]
      if (!gem) continue
      const x = frameBox.x + gem.x
      const y = frameBox.y + gem.y
      if (options.touch) await page.touchscreen.tap(x, y)
      else await page.mouse.click(x, y)
      taps++
    }
    const sample = await frame.evaluate(() => (globalThis as unknown as { __FPS_STOP__: () => PageSample }).__FPS_STOP__())
    const loadAfter = loadavg()[0]!

    return summarizeSample(sample, { viewport: { ...viewport, deviceScaleFactor }, taps, loadBefore, loadAfter })
  } finally {
    await browser.close()
    await servers?.close()
  }
}

/** The command line, parsed strictly by node:util (an unknown flag is an error). */
function cliOptions(argv: string[]): GameFpsOptions & { runs: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      seconds: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      dpr: { type: 'string' },
      'no-taps': { type: 'boolean', default: false },
      touch: { type: 'boolean', default: false },
      'client-dir': { type: 'string' },
      runs: { type: 'string', default: '1' },
    },
  })
  const number = (name: keyof typeof values) => {
    const value = values[name]
    if (value === undefined) return undefined
    const parsed = Number(value)
    if (!(parsed > 0)) throw new Error(`--${name} must be a positive number, got "${value}"`)
    return parsed
  }
  const width = number('width')
  const height = number('height')
  return {
    url: values.url,
    seconds: number('seconds'),
    viewport: width || height ? { width: width ?? 390, height: height ?? 844 } : undefined,
    deviceScaleFactor: number('dpr'),
    taps: !values['no-taps'],
    touch: values.touch,
    clientDir: values['client-dir'],
    runs: number('runs') ?? 1,
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { runs, ...options } = cliOptions(process.argv.slice(2))
  for (let run = 1; run <= runs; run++) {
    const result = await measureGameFps(options)
    console.log(JSON.stringify(result))
  }
}
