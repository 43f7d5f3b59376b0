import { Graphics, Rectangle, type Renderer, type Texture } from 'pixi.js'

/** The size gem art is drawn at; gems of other sizes scale it. */
export const ART_GEM_SIZE = 32

/**
 * The game's vector art, drawn once into textures that every sprite showing it shares.
 *
 * Why textures: the canvas runs without MSAA (it multiplies the cost of every pixel under a
 * software rasterizer), so shapes drawn live would have jagged edges; drawn once with
 * antialiasing, above the screen's resolution, they stay smooth at any size and rotation,
 * and a gem costs one textured quad instead of a Graphics triangulated when it spawns.
 */
export class GemArt {
  private readonly textures = new Map<string, Texture>()

  constructor(private readonly renderer: Renderer) {}

  /** A cut gem, its centre at the texture's anchor; `size` as in {@link drawGem}. */
  gem(color: string, size = ART_GEM_SIZE): Texture {
    return this.texture(`gem:${color}:${size}`, 2, () => drawGem(new Graphics(), color, size))
  }

  /** The white spark on a gem of {@link ART_GEM_SIZE}. */
  glint(): Texture {
    return this.texture('glint', 2, () => new Graphics().circle(0, 0, ART_GEM_SIZE * 0.12).fill({ color: '#ffffff', alpha: 0.9 }))
  }

  /** The ring a collected gem leaves, of radius {@link ART_GEM_SIZE}. */
  ring(color: string): Texture {
    // 4.5 at radius 32 is the 3 px stroke of a gem of the usual phone size (~21 px).
    return this.texture(`ring:${color}`, 2, () => new Graphics().circle(0, 0, ART_GEM_SIZE).stroke({ width: 4.5, color }))
  }

  /** A background star, drawn at its own size. */
  star(radius: number): Texture {
    return this.texture(`star:${radius}`, 1, () => new Graphics().circle(0, 0, radius).fill('#ffffff'))
  }

  private texture(key: string, supersample: number, draw: () => Graphics): Texture {
    let texture = this.textures.get(key)
    if (!texture) {
      const art = draw()
      const bounds = art.getLocalBounds()
      // Whole pixels with a pixel of margin: generateTexture truncates a fractional frame.
      const x = Math.floor(bounds.minX) - 1
      const y = Math.floor(bounds.minY) - 1
      const frame = new Rectangle(x, y, Math.ceil(bounds.maxX) + 1 - x, Math.ceil(bounds.maxY) + 1 - y)
      texture = this.renderer.generateTexture({
        target: art,
        frame,
        resolution: this.renderer.resolution * supersample,
        antialias: true,
        // Sprites of it are placed by the art's own origin, as the Graphics was.
        defaultAnchor: { x: -x / frame.width, y: -y / frame.height },
      })
      art.destroy()
      this.textures.set(key, texture)
    }
    return texture
  }
}

/** A cut gem: a table, a crown band and a pavilion, lit from the top left. */
export function drawGem(g: Graphics, color: string, size: number): Graphics {
  const s = size
  const outline = [-0.5 * s, -0.55 * s, 0.5 * s, -0.55 * s, s, -0.1 * s, 0, s, -s, -0.1 * s]
  g.poly(outline).fill(color)
  g.poly([-0.5 * s, -0.55 * s, 0.5 * s, -0.55 * s, s, -0.1 * s, -s, -0.1 * s]).fill({ color: '#ffffff', alpha: 0.28 })
  g.poly([-0.3 * s, -0.55 * s, 0.3 * s, -0.55 * s, 0.45 * s, -0.1 * s, -0.45 * s, -0.1 * s]).fill({ color: '#ffffff', alpha: 0.22 })
  g.poly([0, -0.1 * s, s, -0.1 * s, 0, s]).fill({ color: '#000000', alpha: 0.18 })
  g.poly([-0.45 * s, -0.1 * s, 0.45 * s, -0.1 * s, 0, s]).fill({ color: '#ffffff', alpha: 0.1 })
  g.poly(outline).stroke({ width: Math.max(1.5, s * 0.07), color: '#ffffff', alpha: 0.7, join: 'round' })
  return g
}
