import { Application, Rectangle, type Container, type Renderer, type Ticker } from 'pixi.js'

/** Emitted by a screen whose {@link AppScreen.backdrop} changed and must be drawn again. */
export const BACKDROP_CHANGED = 'backdrop-changed'

/** What the engine drives: create-pixi's screen contract, every hook optional. */
export interface AppScreen extends Container {
  show?(): void
  hide?(): void
  update?(ticker: Ticker): void
  resize?(width: number, height: number): void
  /**
   * A still layer behind the screen, in screen coordinates. The engine draws it once (and
   * again on BACKDROP_CHANGED) into a plain canvas behind pixi's, so it costs nothing per
   * frame: a screen-sized textured quad costs a software rasterizer 20-50 ms every frame.
   */
  readonly backdrop?: Container
}

/**
 * Where a screen's backdrop is drawn, only when it changed. The web build draws it into a
 * plain canvas behind pixi's, which the browser composites for free; a mini game has one
 * on-screen canvas, so there it is a texture under the scene.
 */
export interface BackdropLayer {
  paint(app: Application, background: string, backdrop: Container | undefined): void
}

export interface EngineOptions {
  background?: string
  /** Where the canvas goes. Default document.body. */
  parent?: HTMLElement
}

/**
 * The pixi plumbing: one Application sized to the window, one screen at a time. The
 * canvas follows the window (the host's phone frame is our window), and the screen is
 * told about every size change so it can lay itself out again.
 *
 * pixi's canvas is transparent; behind it a 2D canvas shows the background colour and the
 * screen's backdrop, redrawn only when they change.
 */
export class Engine {
  private current: AppScreen | undefined
  private backdropStale = false
  private readonly markBackdropStale = () => void (this.backdropStale = true)
  private readonly tick = (ticker: Ticker) => {
    if (this.backdropStale) this.paintBackdrop()
    this.current?.update?.(ticker)
  }

  /** Drives `app` (already initialised): its ticker updates the screen, its resizes lay it out. */
  constructor(
    readonly app: Application,
    private readonly background: string,
    private readonly backdropLayer: BackdropLayer,
  ) {
    app.ticker.add(this.tick)
    app.renderer.on('resize', (width: number, height: number) => {
      this.current?.resize?.(width, height)
      this.backdropStale = true
    })
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const app = new Application()
    const background = options.background ?? '#0f1330'
    await app.init({
      resizeTo: window,
      backgroundAlpha: 0,
      // No MSAA: under a software rasterizer (headless CI) it multiplies the cost of every
      // pixel drawn. The art is drawn into textures with antialiasing instead (GemArt).
      antialias: false,
      // Phones report DPR 3; 2 is sharp enough and keeps the fill rate reasonable.
      resolution: Math.min(window.devicePixelRatio || 1, 2),
      autoDensity: true,
    })
    // A CPU rasterizer fills every pixel in software, and at DPR 2 there are four times as many:
    // measured in headless Chromium (bench/fps.ts), 48 fps at DPR 2 against 60 at DPR 1.
    if (isSoftwareWebGL(app.renderer)) app.renderer.resolution = 1
    app.canvas.classList.add('game-canvas')
    const backdropCanvas = document.createElement('canvas')
    backdropCanvas.className = 'game-backdrop'
    ;(options.parent ?? document.body).prepend(backdropCanvas, app.canvas)
    // The PixiJS devtools extension (and scripted checks) find the scene through this global.
    ;(globalThis as { __PIXI_APP__?: Application }).__PIXI_APP__ = app
    const engine = new Engine(app, background, new DomBackdrop(backdropCanvas))
    engine.paintBackdrop()
    return engine
  }

  get width(): number {
    return this.app.screen.width
  }

  get height(): number {
    return this.app.screen.height
  }

  showScreen(screen: AppScreen): void {
    if (this.current) {
      this.current.hide?.()
      this.current.off(BACKDROP_CHANGED, this.markBackdropStale)
      this.app.stage.removeChild(this.current)
    }
    this.current = screen
    this.app.stage.addChild(screen)
    screen.on(BACKDROP_CHANGED, this.markBackdropStale)
    screen.resize?.(this.width, this.height)
    screen.show?.()
    this.backdropStale = true
  }

  /** Draws the background colour and the current screen's backdrop. */
  paintBackdrop(): void {
    this.backdropStale = false
    this.backdropLayer.paint(this.app, this.background, this.current?.backdrop)
  }
}

/** The web build's backdrop: a plain 2D canvas behind pixi's transparent one. */
class DomBackdrop implements BackdropLayer {
  constructor(private readonly canvas: HTMLCanvasElement) {}

  paint(app: Application, background: string, backdrop: Container | undefined): void {
    const { width, height } = app.screen
    const resolution = app.renderer.resolution
    const canvas = this.canvas
    canvas.width = Math.round(width * resolution)
    canvas.height = Math.round(height * resolution)
    const context = canvas.getContext('2d')
    if (!context) return
    if (!backdrop) {
      context.fillStyle = background
      context.fillRect(0, 0, canvas.width, canvas.height)
      return
    }
    const drawn = app.renderer.extract.canvas({
      target: backdrop,
      frame: new Rectangle(0, 0, width, height),
      resolution,
      clearColor: background,
      antialias: true,
    })
    context.drawImage(drawn as HTMLCanvasElement, 0, 0, canvas.width, canvas.height)
  }
}

/**
 * Whether WebGL runs on a CPU rasterizer: SwiftShader (Chromium without a GPU, as headless
 * CI runs it), Mesa's llvmpipe, Windows' Basic Render Driver.
 */
export function isSoftwareWebGL(renderer: Renderer): boolean {
  const gl = 'gl' in renderer ? renderer.gl : undefined
  if (!gl) return false
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
  return /swiftshader|llvmpipe|softpipe|basic render|software/i.test(name)
}
