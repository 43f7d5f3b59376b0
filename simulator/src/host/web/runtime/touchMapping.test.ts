import { describe, expect, it } from 'vitest'
import { TouchTracker, toGameTouch, type ScreenMapping } from './touchMapping'

const phone: ScreenMapping = { box: { left: 100, top: 50, width: 390, height: 844 }, windowWidth: 390, windowHeight: 844 }
/** The same phone drawn at half size (a small browser window scales the frame down). */
const halfSize: ScreenMapping = { box: { left: 10, top: 20, width: 195, height: 422 }, windowWidth: 390, windowHeight: 844 }

describe('touch coordinates', () => {
  it('are relative to the game canvas, not the page', () => {
    expect(toGameTouch({ pointerId: 1, clientX: 100, clientY: 50, pressure: 0.5 }, phone)).toEqual({ identifier: 1, clientX: 0, clientY: 0, pageX: 0, pageY: 0, force: 0.5 })
    expect(toGameTouch({ pointerId: 1, clientX: 490, clientY: 894, pressure: 0.5 }, phone)).toMatchObject({ clientX: 390, clientY: 844 })
  })

  it('are in the game window size when the shell draws the phone scaled', () => {
    expect(toGameTouch({ pointerId: 7, clientX: 10 + 97.5, clientY: 20 + 211, pressure: 0 }, halfSize)).toEqual({ identifier: 7, clientX: 195, clientY: 422, pageX: 195, pageY: 422, force: 1 })
  })

  it('map a landscape window onto its canvas', () => {
    const landscape: ScreenMapping = { box: { left: 0, top: 0, width: 844, height: 390 }, windowWidth: 844, windowHeight: 390 }
    expect(toGameTouch({ pointerId: 1, clientX: 843, clientY: 1, pressure: 0.5 }, landscape)).toMatchObject({ clientX: 843, clientY: 1 })
  })
})

describe('the touch list', () => {
  it('keeps every finger down in touches and names the one that changed', () => {
    const tracker = new TouchTracker(() => phone)
    const first = tracker.start({ pointerId: 1, clientX: 110, clientY: 60, pressure: 0.5 })
    expect(first.kind).toBe('touchstart')
    expect(first.touches.map((t) => t.identifier)).toEqual([1])
    const second = tracker.start({ pointerId: 2, clientX: 200, clientY: 300, pressure: 0.5 })
    expect(second.touches.map((t) => t.identifier)).toEqual([1, 2])
    expect(second.changedTouches.map((t) => [t.identifier, t.clientX, t.clientY])).toEqual([[2, 100, 250]])
    const moved = tracker.move({ pointerId: 1, clientX: 120, clientY: 70, pressure: 0.5 })!
    expect(moved.kind).toBe('touchmove')
    expect(moved.touches.find((t) => t.identifier === 1)).toMatchObject({ clientX: 20, clientY: 20 })
    const lifted = tracker.end({ pointerId: 1, clientX: 120, clientY: 70, pressure: 0 })!
    expect(lifted.kind).toBe('touchend')
    expect(lifted.touches.map((t) => t.identifier)).toEqual([2])
    expect(lifted.changedTouches.map((t) => t.identifier)).toEqual([1])
    expect(tracker.end({ pointerId: 2, clientX: 0, clientY: 0, pressure: 0 }, true)).toMatchObject({ kind: 'touchcancel', touches: [] })
  })

  it('ignores moves and ends of pointers that never went down on the canvas', () => {
    const tracker = new TouchTracker(() => phone)
    expect(tracker.move({ pointerId: 1, clientX: 110, clientY: 60, pressure: 0 })).toBeUndefined()
    expect(tracker.end({ pointerId: 1, clientX: 110, clientY: 60, pressure: 0 })).toBeUndefined()
  })
})
