import { describe, expect, it } from 'vitest'
import { explainError, hideGlobals, packageFrame, type HiddenRead } from './hiddenGlobals'

/** An error as V8 reports one thrown in package code at file:line:column. */
function thrownAt(name: 'TypeError' | 'ReferenceError', message: string, file: string, line: number, column: number): Error {
  const error = name === 'TypeError' ? new TypeError(message) : new ReferenceError(message)
  error.stack = `${name}: ${message}\n    at eval (minigame:///${file}:${line}:${column})\n    at run (blob:runtime:1:2)`
  return error
}

describe('naming what a mini game does not have', () => {
  it('names document when code read it and failed on the same line', () => {
    const reads: HiddenRead[] = [{ name: 'document', file: 'game.js', line: 4, column: 11 }]
    const message = explainError(thrownAt('TypeError', "Cannot read properties of undefined (reading 'createElement')", 'game.js', 4, 20), reads)
    expect(message).toMatch(/^document is not available in a mini game: /)
    expect(message).toContain('(game.js:4)')
    expect(message).toContain("[TypeError: Cannot read properties of undefined (reading 'createElement')]")
  })

  it('picks the read just before the failing column on a minified line', () => {
    const reads: HiddenRead[] = [
      { name: 'window', file: 'game.js', line: 1, column: 100 },
      { name: 'navigator', file: 'game.js', line: 1, column: 400 },
      { name: 'document', file: 'game.js', line: 1, column: 900 },
    ]
    expect(explainError(thrownAt('TypeError', 'x is not a function', 'game.js', 1, 420), reads)).toMatch(/^navigator is not available/)
  })

  it('names a web name that is not defined at all', () => {
    expect(explainError(thrownAt('ReferenceError', 'HTMLCanvasElement is not defined', 'js/main.js', 9, 3), [])).toMatch(/^HTMLCanvasElement is not available in a mini game/)
  })

  it('leaves the game\'s own errors alone', () => {
    const reads: HiddenRead[] = [{ name: 'document', file: 'game.js', line: 4, column: 11 }]
    expect(explainError(thrownAt('ReferenceError', 'scoer is not defined', 'game.js', 4, 20), reads)).toBeUndefined()
    expect(explainError(thrownAt('TypeError', 'boom', 'game.js', 5, 1), reads)).toBeUndefined()
    expect(explainError(new RangeError('too deep'), reads)).toBeUndefined()
    expect(explainError('a string', reads)).toBeUndefined()
  })

  it('finds the first package frame of a stack', () => {
    expect(packageFrame('Error\n    at get (blob:x:1:1)\n    at eval (minigame:///js/a.js:12:5)')).toEqual({ file: 'js/a.js', line: 12, column: 5 })
    expect(packageFrame('Error\n    at get (blob:x:1:1)')).toBeUndefined()
  })
})

describe('hiding globals', () => {
  it('makes a name read undefined, take an assignment, and keeps the platform\'s', () => {
    const scope = { document: { body: {} }, fetch: () => 1, setTimeout: () => 1, Math }
    const hidden = hideGlobals(scope)
    expect(hidden.names).toEqual(expect.arrayContaining(['document', 'fetch', 'window']))
    expect((scope as Record<string, unknown>).document).toBeUndefined()
    expect((scope as Record<string, unknown>).window).toBeUndefined()
    expect(typeof (scope as Record<string, unknown>).setTimeout).toBe('function')
    expect((scope as Record<string, unknown>).Math).toBe(Math)
    ;(scope as Record<string, unknown>).window = scope
    expect((scope as Record<string, unknown>).window).toBe(scope)
  })
})
