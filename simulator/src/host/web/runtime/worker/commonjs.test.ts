import { describe, expect, it } from 'vitest'
import { ModuleNotFoundError, candidatesFor, createModuleLoader, normalizePath, type ModuleFunction } from './commonjs'

/** A package in memory, compiled as the runtime does: the file's text as a function body. */
function packageOf(files: Record<string, string>) {
  const reads: string[] = []
  const loader = createModuleLoader({
    read(path) {
      reads.push(path)
      return files[path]
    },
    compile: (code) => new Function('require', 'module', 'exports', code) as ModuleFunction,
  })
  return { loader, reads }
}

describe('the CommonJS loader', () => {
  it('runs game.js with require, module.exports and exports between package files', () => {
    const { loader } = packageOf({
      'game.js': "var ui = require('./js/ui'); var cfg = require('./config.js'); module.exports = ui.draw() + ' ' + cfg.server",
      'js/ui.js': "var color = require('../js/theme/index.js'); exports.draw = function () { return 'drawn in ' + color }",
      'js/theme/index.js': "module.exports = 'orange'",
      'config.js': "module.exports = { server: 'https://api.example.com' }",
    })
    expect(loader.run('game.js')).toBe('drawn in orange https://api.example.com')
  })

  it('runs each file once and hands later requires the same exports', () => {
    const { loader } = packageOf({
      'game.js': "var a = require('./counter'); var b = require('./counter.js'); module.exports = [a === b, a.runs]",
      'counter.js': "GLOBAL_RUNS = (typeof GLOBAL_RUNS === 'number' ? GLOBAL_RUNS : 0) + 1; module.exports = { runs: GLOBAL_RUNS }",
    })
    expect(loader.run('game.js')).toEqual([true, 1])
  })

  it('answers a cycle with the partial exports, as Node does', () => {
    const { loader } = packageOf({
      'game.js': "module.exports = require('./a').seen",
      'a.js': "exports.early = 'a-early'; var b = require('./b'); exports.seen = b.sawEarly",
      'b.js': "exports.sawEarly = require('./a').early",
    })
    expect(loader.run('game.js')).toBe('a-early')
  })

  it('finds a folder by its index.js and a root-relative path', () => {
    const { loader } = packageOf({ 'game.js': "module.exports = require('libs/engine')", 'libs/engine/index.js': "module.exports = 'engine'" })
    expect(loader.run('game.js')).toBe('engine')
  })

  it('says which file was required from where when the package has no such file', () => {
    const { loader } = packageOf({ 'game.js': "require('./missing')" })
    expect(() => loader.run('game.js')).toThrowError(ModuleNotFoundError)
    expect(() => loader.run('game.js')).toThrowError('module "./missing" is not defined (required from game.js; looked for missing, missing.js, missing/index.js)')
  })

  it('runs a file that threw again on the next require, not half-loaded', () => {
    const { loader } = packageOf({ 'game.js': "globalThis.__attempts = (globalThis.__attempts || 0) + 1; if (globalThis.__attempts === 1) throw new Error('first')" })
    expect(() => loader.run('game.js')).toThrowError('first')
    expect(() => loader.run('game.js')).not.toThrow()
  })

  it('never reads outside the package', () => {
    expect(normalizePath('a/../../etc/passwd')).toBeUndefined()
    expect(candidatesFor('../../secret', 'game.js')).toEqual([])
    expect(normalizePath('./a/./b/../c.js')).toBe('a/c.js')
  })
})
