/**
 * Pointer input on the shell's canvas turned into the platform's touch events
 * (wx.onTouchStart/Move/End/Cancel): `touches` (every finger down) and `changedTouches`
 * (those this event is about), in the package's coordinate space, the CSS pixels of the
 * game's window, whatever size the shell draws the phone at.
 */
import type { GameTouch, TouchKind } from './messages'

/** Where the canvas is on the page (getBoundingClientRect) and the game's window size. */
export interface ScreenMapping {
  box: { left: number; top: number; width: number; height: number }
  windowWidth: number
  windowHeight: number
}

export interface PointerSample {
  pointerId: number
  clientX: number
  clientY: number
  /** 0-1; a mouse reports 0.5 while a button is down. */
  pressure: number
}

/** One pointer in the game's coordinates. */
export function toGameTouch(pointer: PointerSample, mapping: ScreenMapping): GameTouch {
  const { box, windowWidth, windowHeight } = mapping
  const x = box.width > 0 ? ((pointer.clientX - box.left) * windowWidth) / box.width : 0
  const y = box.height > 0 ? ((pointer.clientY - box.top) * windowHeight) / box.height : 0
  // Two decimals: enough below a CSS pixel, and stable to compare in tests.
  const round = (n: number) => Math.round(n * 100) / 100
  return { identifier: pointer.pointerId, clientX: round(x), clientY: round(y), pageX: round(x), pageY: round(y), force: pointer.pressure || 1 }
}

export interface TouchEventData {
  kind: TouchKind
  touches: GameTouch[]
  changedTouches: GameTouch[]
}

/**
 * Keeps the fingers that are down. A pointer that did not start on the canvas never
 * becomes a touch; a move of a mouse with no button down is not one either.
 */
export class TouchTracker {
  private readonly down = new Map<number, GameTouch>()

  constructor(private readonly mapping: () => ScreenMapping) {}

  start(pointer: PointerSample): TouchEventData {
    const touch = toGameTouch(pointer, this.mapping())
    this.down.set(pointer.pointerId, touch)
    return { kind: 'touchstart', touches: [...this.down.values()], changedTouches: [touch] }
  }

  move(pointer: PointerSample): TouchEventData | undefined {
    if (!this.down.has(pointer.pointerId)) return undefined
    const touch = toGameTouch(pointer, this.mapping())
    this.down.set(pointer.pointerId, touch)
    return { kind: 'touchmove', touches: [...this.down.values()], changedTouches: [touch] }
  }

  /** The finger lifted (`touchend`) or the system took it (`touchcancel`). */
  end(pointer: PointerSample, cancelled = false): TouchEventData | undefined {
    if (!this.down.has(pointer.pointerId)) return undefined
    const touch = toGameTouch(pointer, this.mapping())
    this.down.delete(pointer.pointerId)
    return { kind: cancelled ? 'touchcancel' : 'touchend', touches: [...this.down.values()], changedTouches: [touch] }
  }
}
