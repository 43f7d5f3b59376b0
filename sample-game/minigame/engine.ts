import { Application, RenderTexture, Sprite, type Container, type ICanvas } from 'pixi.js'
import { Engine, isSoftwareWebGL, type BackdropLayer } from '../client/src/engine/engine'
import { GameGlobal, wx } from './wx'

/**
 * The backdrop of a mini game: rendered into a texture only when it changes, shown by a
 * sprite under the scene (there is one on-screen canvas, so no layer behind it).
 */
class SceneBackdrop implements BackdropLayer {
  private readonly sprite = Object.assign(new Sprite(), { zIndex: -1 })
  private texture: RenderTexture | undefined

  paint(app: Application, background: string, backdrop: Container | undefined): void {
    if (!backdrop) {
      this.sprite.visible = false
      return
    }
    const { width, height } = app.screen
    const resolution = app.renderer.resolution
    if (!this.texture || this.texture.width !== width || this.texture.height !== height || this.texture.source.resolution !== resolution) {
      this.texture?.destroy(true)
      this.texture = RenderTexture.create({ width, height, resolution, antialias: true })
    }
    app.renderer.render({ container: backdrop, target: this.texture, clear: true, clearColor: background })
    this.sprite.texture = this.texture
    this.sprite.visible = true
    if (this.sprite.parent !== app.stage || app.stage.getChildIndex(this.sprite) !== 0) app.stage.addChildAt(this.sprite, 0)
  }
}

/** Gem Quest's engine on the platform's on-screen canvas, at the window's size. */
export async function createMiniGameEngine(canvas: ICanvas, background: string): Promise<Engine> {
  const info = wx.getSystemInfoSync()
  const app = new Application()
  await app.init({
    canvas,
    width: info.windowWidth,
    height: info.windowHeight,
    background,
    antialias: false,
    // Phones report DPR 3; 2 is sharp enough (as the web build).
    resolution: Math.min(info.pixelRatio || 1, 2),
    autoDensity: false,
    preference: 'webgl',
    // The environment (browser or worker) is not pixi's to detect here: game.ts imports what it uses.
    skipExtensionImports: true,
  })
  const software = isSoftwareWebGL(app.renderer)
  if (software) app.renderer.resolution = 1
  // The PixiJS devtools (and scripted checks) find the scene through this global.
  GameGlobal.__PIXI_APP__ = app
  // A CPU rasterizer fills a screen-sized quad in 20-80 ms (decision 007), every frame: the
  // web build keeps its backdrop in a still layer behind the canvas, a mini game has no
  // such layer, so there the backdrop is left out and the background colour stays.
  const engine = new Engine(app, background, software ? { paint: () => {} } : new SceneBackdrop())
  engine.paintBackdrop()
  return engine
}
