import { Container, Graphics, Sprite, Text, type Ticker } from 'pixi.js'
import { BACKDROP_CHANGED, type AppScreen } from '../../engine/engine'
import { Burst, Gem } from '../objects/Gem'
import type { GemArt } from '../objects/GemArt'
import { DEFAULT_GEM_COLORS, UI_FONT } from '../theme'

/** How owned items change the play. Derived from the server's inventory, never from a payment callback. */
export interface PlayModifiers {
  /** Gems per tap. */
  tapPower: number
  /** Multiplier on falling speed (and spawn rate, so the screen stays as busy). */
  fallSpeed: number
  /** Gems bought in packs, added to the counter. */
  bonusGems: number
}

interface Star {
  dot: Sprite
  phase: number
  speed: number
  base: number
}

const MAX_GEMS = 10
/** Frames between spawns at speed 1. */
const SPAWN_EVERY = 40
/** Seconds a gem takes to cross the play area at speed 1. */
const FALL_SECONDS = 5.5

/**
 * The play scene: gems drift down between the top bar and the shop dock (both DOM, laid
 * over the canvas); tapping one collects it. Its nebula is the engine's backdrop: it only
 * changes with the size and the palette, so it is drawn then, not every frame.
 */
export class MainScreen extends Container implements AppScreen {
  readonly backdrop = new Graphics()
  private readonly starLayer = new Container()
  private readonly gemLayer = new Container()
  private readonly fxLayer = new Container()
  private readonly counter = new Container()
  private readonly counterIcon: Sprite
  private readonly counterText: Text
  private readonly modifiersText: Text
  private readonly hintText: Text

  private stars: Star[] = []
  private gems: Gem[] = []
  private bursts: Burst[] = []
  private palette: readonly string[] = DEFAULT_GEM_COLORS
  private modifiers: PlayModifiers = { tapPower: 1, fallSpeed: 1, bonusGems: 0 }
  private collected = 0
  private spawnTimer = 0
  private elapsed = 0
  private counterPulse = 0
  private hintFade = 1
  private screenWidth = 390
  private screenHeight = 844
  private insetTop = 0
  private insetBottom = 0

  constructor(private readonly art: GemArt) {
    super()
    this.counterText = new Text({
      text: '0',
      style: { fill: '#ffffff', fontSize: 34, fontWeight: '800', fontFamily: UI_FONT, stroke: { color: '#0f1330', width: 5 } },
    })
    this.counterText.anchor.set(0, 0.5)
    this.modifiersText = new Text({ text: '', style: { fill: '#c9cff5', fontSize: 13, fontWeight: '600', fontFamily: UI_FONT } })
    this.modifiersText.anchor.set(0.5, 0)
    this.hintText = new Text({
      text: 'Tap the falling gems!',
      style: { fill: '#ffffff', fontSize: 18, fontWeight: '700', fontFamily: UI_FONT, align: 'center' },
    })
    this.hintText.anchor.set(0.5)
    this.counterIcon = new Sprite(art.gem('#3fb5ff', 13))
    this.counter.addChild(this.counterIcon, this.counterText)
    this.addChild(this.starLayer, this.gemLayer, this.fxLayer, this.hintText, this.counter, this.modifiersText)
  }

  show(): void {
    this.refreshCounter()
  }

  /** Colours of the shop's items, so the gems match the catalog's art. */
  setPalette(colors: readonly string[]): void {
    if (colors.length === 0) return
    this.palette = colors
    this.drawNebula()
  }

  setModifiers(modifiers: PlayModifiers): void {
    const gained = modifiers.bonusGems > this.modifiers.bonusGems
    this.modifiers = modifiers
    const parts: string[] = []
    if (modifiers.tapPower > 1) parts.push(`Tap ×${modifiers.tapPower}`)
    if (modifiers.fallSpeed > 1) parts.push(`Speed ×${modifiers.fallSpeed}`)
    this.modifiersText.text = parts.join('  ·  ')
    this.refreshCounter(gained)
  }

  /** Screen pixels hidden by the DOM bars at the top and bottom. */
  setPlayArea(insetTop: number, insetBottom: number): void {
    this.insetTop = insetTop
    this.insetBottom = insetBottom
    this.layout()
  }

  resize(width: number, height: number): void {
    this.screenWidth = width
    this.screenHeight = height
    this.drawNebula()
    this.makeStars()
    this.layout()
  }

  update(ticker: Ticker): void {
    const dt = Math.min(ticker.deltaTime, 3)
    this.elapsed += dt
    const top = this.playTop
    const bottom = this.playBottom

    for (const star of this.stars) star.dot.alpha = star.base + 0.3 * Math.sin(this.elapsed * star.speed + star.phase)

    this.spawnTimer -= dt * this.modifiers.fallSpeed
    if (this.spawnTimer <= 0 && this.gems.length < MAX_GEMS && bottom - top > 80) {
      this.spawnTimer = SPAWN_EVERY * (0.6 + Math.random() * 0.8)
      this.spawnGem()
    }

    this.gems = this.gems.filter((gem) => {
      if (gem.step(dt, top, bottom)) return true
      gem.destroy({ children: true })
      return false
    })
    this.bursts = this.bursts.filter((burst) => {
      if (burst.step(dt)) return true
      burst.destroy({ children: true })
      return false
    })

    if (this.counterPulse > 0) {
      this.counterPulse = Math.max(0, this.counterPulse - dt / 12)
      this.counter.scale.set(1 + 0.18 * Math.sin(this.counterPulse * Math.PI))
    }
    if (this.collected > 0 && this.hintFade > 0) this.hintFade = Math.max(0, this.hintFade - dt / 30)
    this.hintText.alpha = this.hintFade * (0.55 + 0.25 * Math.sin(this.elapsed * 0.06))
  }

  private get playTop(): number {
    return this.insetTop
  }

  private get playBottom(): number {
    return Math.max(this.insetTop, this.screenHeight - this.insetBottom)
  }

  private spawnGem(): void {
    const color = this.palette[Math.floor(Math.random() * this.palette.length)] ?? DEFAULT_GEM_COLORS[0] ?? '#3fb5ff'
    const baseSize = Math.max(16, Math.min(28, Math.min(this.screenWidth, this.screenHeight) * 0.055))
    const gem = new Gem(this.art, color, baseSize * (0.85 + Math.random() * 0.3))
    const margin = gem.size * 2
    gem.place(margin + Math.random() * Math.max(0, this.screenWidth - margin * 2), this.playTop - gem.size)
    gem.vy = ((this.playBottom - this.playTop) / (FALL_SECONDS * 60)) * (0.8 + Math.random() * 0.5) * this.modifiers.fallSpeed
    // pointerdown, not pointertap: a tap on a moving gem often ends outside it, and a
    // catch game must react on touch.
    gem.on('pointerdown', () => this.collect(gem, color))
    this.gems.push(gem)
    this.gemLayer.addChild(gem)
  }

  private collect(gem: Gem, color: string): void {
    if (gem.collected) return
    gem.collect()
    const value = this.modifiers.tapPower
    this.collected += value
    const burst = new Burst(this.art, color, value, gem.size)
    burst.position.copyFrom(gem.position)
    this.bursts.push(burst)
    this.fxLayer.addChild(burst)
    this.refreshCounter(true)
  }

  private refreshCounter(pulse = false): void {
    this.counterText.text = (this.collected + this.modifiers.bonusGems).toLocaleString('en-US')
    // The icon spans -13..13 around x=0; centre icon and number together.
    this.counterText.x = 22
    this.counter.pivot.x = (22 + this.counterText.width - 13) / 2
    if (pulse) this.counterPulse = 1
  }

  private layout(): void {
    const centerX = this.screenWidth / 2
    this.counter.position.set(centerX, this.playTop + 34)
    this.modifiersText.position.set(centerX, this.playTop + 58)
    this.hintText.position.set(centerX, (this.playTop + this.playBottom) / 2)
  }

  private drawNebula(): void {
    const w = this.screenWidth
    const h = this.screenHeight
    const g = this.backdrop.clear()
    const blobs: Array<[number, number, number]> = [
      [0.15, 0.2, 0.55],
      [0.9, 0.45, 0.6],
      [0.3, 0.75, 0.5],
      [0.75, 0.05, 0.4],
    ]
    blobs.forEach(([fx, fy, fr], i) => {
      const color = this.palette[i % this.palette.length] ?? '#3fb5ff'
      const radius = Math.max(w, h) * fr * 0.5
      // Stacked translucent discs give a cheap soft glow without filters.
      for (let ring = 0; ring < 4; ring++) g.circle(fx * w, fy * h, radius * (1 - ring * 0.2)).fill({ color, alpha: 0.025 })
    })
    this.emit(BACKDROP_CHANGED)
  }

  private makeStars(): void {
    for (const star of this.stars) star.dot.destroy()
    const count = Math.round((this.screenWidth * this.screenHeight) / 7000)
    this.stars = Array.from({ length: Math.min(count, 120) }, () => {
      const dot = new Sprite(this.art.star(Math.random() < 0.15 ? 1.6 : 1))
      dot.position.set(Math.random() * this.screenWidth, Math.random() * this.screenHeight)
      this.starLayer.addChild(dot)
      return { dot, phase: Math.random() * Math.PI * 2, speed: 0.02 + Math.random() * 0.05, base: 0.35 + Math.random() * 0.3 }
    })
  }
}
