import { Circle, Container, Sprite, Text } from 'pixi.js'
import { UI_FONT } from '../theme'
import { ART_GEM_SIZE, type GemArt } from './GemArt'

/** A falling, tappable gem. Positions are in screen pixels, times in ticker frames (deltaTime). */
export class Gem extends Container {
  /** Pixels per frame at 60 fps. */
  vy = 1
  collected = false
  private readonly body: Sprite
  private readonly glint: Sprite
  private age = 0
  private popAge = 0
  private readonly swayPhase = Math.random() * Math.PI * 2
  private readonly swayAmp = 6 + Math.random() * 10
  private readonly spin = (Math.random() - 0.5) * 0.01
  private baseX = 0

  constructor(
    art: GemArt,
    color: string,
    readonly size: number,
  ) {
    super()
    const artScale = size / ART_GEM_SIZE
    this.body = new Sprite(art.gem(color))
    this.body.scale.set(artScale)
    this.glint = new Sprite(art.glint())
    this.glint.scale.set(artScale)
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
  private readonly ring: Sprite
  private readonly ringScale: number
  private readonly valueText: Text
  private age = 0

  constructor(art: GemArt, color: string, value: number, size: number) {
    super()
    this.ring = new Sprite(art.ring(color))
    this.ringScale = size / ART_GEM_SIZE
    this.ring.scale.set(this.ringScale)
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
    this.ring.scale.set(this.ringScale * (1 + t * 1.6))
    this.ring.alpha = 1 - Math.min(1, t * 2)
    this.valueText.y = -t * 46
    this.valueText.alpha = 1 - t * t
    return t < 1
  }
}

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, value))
}
