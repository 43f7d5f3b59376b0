import { describe, expect, it } from 'vitest'
import { ManualClock, SandboxClock } from './clock'

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

describe('SandboxClock', () => {
  it('follows its base clock while running and fires its timers by the base clock', () => {
    const base = new ManualClock(Date.UTC(2026, 0, 1))
    const clock = new SandboxClock(base)
    const fired: number[] = []
    clock.setTimer(1000, () => fired.push(clock.now()))
    base.advance(999)
    expect(fired).toEqual([])
    base.advance(1)
    expect(fired).toEqual([Date.UTC(2026, 0, 1) + 1000])
  })

  it('jumps forward, running due timers in time order at their own time', () => {
    const base = new ManualClock(Date.UTC(2026, 0, 1))
    const clock = new SandboxClock(base, { frozen: true })
    const start = clock.now()
    const fired: [string, number][] = []
    clock.setTimer(30_000, () => fired.push(['b', clock.now() - start]))
    clock.setTimer(15_000, () => {
      fired.push(['a', clock.now() - start])
      clock.setTimer(10_000, () => fired.push(['c', clock.now() - start]))
    })
    clock.advance(60_000)
    expect(fired).toEqual([['a', 15_000], ['c', 25_000], ['b', 30_000]])
    expect(clock.now() - start).toBe(60_000)
  })

  it('stands still while frozen, even as its base moves, and resumes from where it stood', () => {
    const base = new ManualClock(Date.UTC(2026, 0, 1))
    const clock = new SandboxClock(base, { frozen: true })
    const fired: string[] = []
    clock.setTimer(5, () => fired.push('t'))
    base.advance(60_000)
    expect(fired).toEqual([])
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1))
    clock.freeze(false)
    base.advance(5)
    expect(fired).toEqual(['t'])
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 5)
  })

  it('never goes back', () => {
    const clock = new SandboxClock(new ManualClock(Date.UTC(2026, 0, 1)))
    expect(() => clock.set(Date.UTC(2025, 0, 1))).toThrow(/only moves forward/)
    expect(() => clock.advance(-1)).toThrow(/only moves forward/)
    clock.set(Date.UTC(2026, 5, 1))
    expect(clock.now()).toBe(Date.UTC(2026, 5, 1))
  })

  it('starts at a chosen time and drops its timers when stopped', () => {
    const base = new ManualClock(Date.UTC(2026, 0, 1))
    const clock = new SandboxClock(base, { start: Date.UTC(2026, 2, 1) })
    expect(clock.now()).toBe(Date.UTC(2026, 2, 1))
    const fired: string[] = []
    clock.setTimer(10, () => fired.push('t'))
    clock.stop()
    base.advance(100)
    expect(fired).toEqual([])
  })
})

describe('timers that fail', () => {
  it('a throwing timer is reported and the timers after it still run', () => {
    const errors: unknown[] = []
    const clock = new SandboxClock(new ManualClock(0), { frozen: true, onTimerError: (error) => errors.push(error) })
    const fired: string[] = []
    clock.setTimer(10, () => {
      throw new Error('boom')
    })
    clock.setTimer(20, () => fired.push('after'))
    clock.advance(30)
    expect(fired).toEqual(['after'])
    expect(errors).toEqual([new Error('boom')])
  })

  it('a stopped clock takes no new timers', () => {
    const clock = new SandboxClock(new ManualClock(0), { frozen: true })
    clock.stop()
    clock.setTimer(1, () => {})
    expect(clock.pendingTimers).toBe(0)
  })
})
