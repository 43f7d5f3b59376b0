import { Application, type Container, type Ticker } from 'pixi.js'

/** What the engine drives: create-pixi's screen contract, every hook optional. */
export interface AppScreen extends Container {
  show?(): void
  update?(ticker: Ticker): void
  resize?(width: number, height: number): void
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
 */
export class Engine {
  private current: AppScreen | undefined
  private readonly tick = (ticker: Ticker) => this.current?.update?.(ticker)

  private constructor(readonly app: Application) {
    app.ticker.add(this.tick)
    app.renderer.on('resize', (width: number, height: number) => this.current?.resize?.(width, height))
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const app = new Application()
    await app.init({
      resizeTo: window,
      background: options.background ?? '#0f1330',
      antialias: true,
      // Phones report DPR 3; 2 is sharp enough and keeps the fill rate reasonable.
      resolution: Math.min(window.devicePixelRatio || 1, 2),
      autoDensity: true,
    })
    app.canvas.classList.add('game-canvas')
    ;(options.parent ?? document.body).prepend(app.canvas)
    // The PixiJS devtools extension (and scripted checks) find the scene through this global.
    ;(globalThis as { __PIXI_APP__?: Application }).__PIXI_APP__ = app
    return new Engine(app)
  }

  get width(): number {
    return this.app.screen.width
  }

  get height(): number {
    return this.app.screen.height
  }

  showScreen(screen: AppScreen): void {
    if (this.current) this.app.stage.removeChild(this.current)
    this.current = screen
    this.app.stage.addChild(screen)
    screen.resize?.(this.width, this.height)
    screen.show?.()
  }
}
