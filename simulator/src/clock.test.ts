import { describe, expect, it } from 'vitest'
import { ManualClock } from './clock'

describe('ManualClock', () => {
  it('runs timers only when time reaches them, in time order', () => {
    const clock = new ManualClock(0)
    const fired: string[] = []
    clock.setTimer(30, () => fired.push('b'))
    clock.setTimer(10, () => fired.push('a'))
    clock.advance(9)
    expect(fired).toEqual([])
    clock.advance(25)
    expect(fired).toEqual(['a', 'b'])
    expect(clock.now()).toBe(34)
  })

  it('runs a timer set by another timer when it falls within the same advance', () => {
    const clock = new ManualClock(0)
    const at: number[] = []
    clock.setTimer(10, () => clock.setTimer(10, () => at.push(clock.now())))
    clock.advance(25)
    expect(at).toEqual([20])
  })

  it('does not run a cancelled timer', () => {
    const clock = new ManualClock(0)
    let fired = false
    const cancel = clock.setTimer(5, () => (fired = true))
    cancel()
    clock.advance(10)
    expect(fired).toBe(false)
    expect(clock.pendingTimers()).toBe(0)
  })
})
