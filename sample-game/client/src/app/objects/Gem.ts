import { Circle, Container, Graphics, Text } from 'pixi.js'
import { UI_FONT } from '../theme'

/** A falling, tappable gem. Positions are in screen pixels, times in ticker frames (deltaTime). */
export class Gem extends Container {
  /** Pixels per frame at 60 fps. */
  vy = 1
  collected = false
  private readonly body = new Graphics()
  private readonly glint = new Graphics()
  private age = 0
  private popAge = 0
  private readonly swayPhase = Math.random() * Math.PI * 2
  private readonly swayAmp = 6 + Math.random() * 10
  private readonly spin = (Math.random() - 0.5) * 0.01
  private baseX = 0

  constructor(
    color: string,
    readonly size: number,
  ) {
    super()
    drawGem(this.body, color, size)
    this.glint.circle(0, 0, size * 0.12).fill({ color: '#ffffff', alpha: 0.9 })
    this.glint.position.set(-size * 0.35, -size * 0.32)
    this.addChild(this.body, this.glint)
    // Bigger than the art: a moving target the size of a fingertip is hard to hit.
    this.hitArea = new Circle(0, 0, size * 1.4)
    this.eventMode = 'static'
    this.cursor = 'pointer'
  }

  place(x: number, y: number): void {
    this.baseX = x
    this.position.set(x, y)
  }

  collect(): void {
    this.collected = true
    // A collected gem must not swallow the taps meant for the gems behind it.
    this.eventMode = 'none'
  }

  /** Advances one step; false once the gem is done (popped, or fell past `bottom`). */
  step(dt: number, top: number, bottom: number): boolean {
    this.age += dt
    this.glint.alpha = 0.35 + 0.65 * Math.max(0, Math.sin(this.age * 0.08 + this.swayPhase))
    if (this.collected) {
      this.popAge += dt
      const t = Math.min(1, this.popAge / 14)
      this.scale.set(1 + t * 0.9)
      this.alpha = 1 - t
      return t < 1
    }
    this.y += this.vy * dt
    this.x = this.baseX + Math.sin(this.age * 0.03 + this.swayPhase) * this.swayAmp
    this.rotation = Math.sin(this.age * 0.02 + this.swayPhase) * 0.25 + this.age * this.spin
    // Fade in under the top bar and out above the shop so gems never pop in or vanish abruptly.
    const fadeIn = clamp01((this.y - top + this.size) / 40)
    const fadeOut = clamp01((bottom - this.y) / 40)
    this.alpha = Math.min(fadeIn, fadeOut)
    this.eventMode = this.alpha > 0.3 ? 'static' : 'none'
    return this.y < bottom + this.size
  }
}

/** The "+N" and ring left where a gem was collected. */
export class Burst extends Container {
  private readonly ring = new Graphics()
  private readonly valueText: Text
  private age = 0

  constructor(color: string, value: number, size: number) {
    super()
    this.ring.circle(0, 0, size).stroke({ width: 3, color })
    this.valueText = new Text({
      text: `+${value}`,
      style: { fill: '#ffffff', fontSize: 20, fontWeight: '800', fontFamily: UI_FONT, stroke: { color, width: 4 } },
    })
    this.valueText.anchor.set(0.5)
    this.addChild(this.ring, this.valueText)
  }

  step(dt: number): boolean {
    this.age += dt
    const t = Math.min(1, this.age / 40)
    this.ring.scale.set(1 + t * 1.6)
    this.ring.alpha = 1 - Math.min(1, t * 2)
    this.valueText.y = -t * 46
    this.valueText.alpha = 1 - t * t
    return t < 1
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

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, value))
}
