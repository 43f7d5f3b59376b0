import { describe, expect, it } from 'vitest'
import { MAIN_PACKAGE_LIMIT_BYTES, appIdOfProject, checkPackageSize, findSubpackage, readGameJson, subpackageOf } from './minigameConfig'

describe('game.json', () => {
  it('has the platform defaults when it is empty', () => {
    expect(readGameJson('{}')).toEqual({
      config: { deviceOrientation: 'portrait', showStatusBar: false, requestTimeoutMs: 60_000, subpackages: [] },
      errors: [],
      warnings: [],
    })
  })

  it('reads orientation, status bar and the request timeout', () => {
    const { config, errors } = readGameJson(JSON.stringify({ deviceOrientation: 'landscape', showStatusBar: true, networkTimeout: { request: 5000 } }))
    expect(errors).toEqual([])
    expect(config).toMatchObject({ deviceOrientation: 'landscape', showStatusBar: true, requestTimeoutMs: 5000 })
  })

  it('caps networkTimeout.request at 60 s with a warning, as the host does', () => {
    const { config, warnings } = readGameJson('{"networkTimeout":{"request":120000}}')
    expect(config.requestTimeoutMs).toBe(60_000)
    expect(warnings).toEqual(['game.json networkTimeout.request is 120000 ms: the host caps it at 60000 ms'])
  })

  it('refuses an unknown orientation, a wrong type and broken JSON, naming the field', () => {
    expect(readGameJson('{"deviceOrientation":"upside-down"}').errors[0]).toMatch(/deviceOrientation/)
    expect(readGameJson('{"showStatusBar":"yes"}').errors[0]).toMatch(/showStatusBar/)
    expect(readGameJson('{"deviceOrientation":').errors[0]).toMatch(/^game.json is not valid JSON/)
    expect(readGameJson(undefined).errors[0]).toMatch(/no game.json/)
  })

  it('resolves subpackage entries for folders and files, under either spelling', () => {
    const folder = readGameJson('{"subpackages":[{"name":"stage1","root":"stage1/"},{"root":"./levels/boss.js"}]}')
    expect(folder.errors).toEqual([])
    expect(folder.config.subpackages).toEqual([
      { name: 'stage1', root: 'stage1/', entry: 'stage1/game.js', independent: false },
      { name: 'levels/boss.js', root: 'levels/boss.js', entry: 'levels/boss.js', independent: false },
    ])
    expect(readGameJson('{"subPackages":[{"root":"a"}]}').config.subpackages[0]).toMatchObject({ name: 'a', root: 'a/', entry: 'a/game.js' })
  })

  it('refuses overlapping roots and repeated names', () => {
    expect(readGameJson('{"subpackages":[{"root":"a/"},{"root":"a/b/"}]}').errors[0]).toMatch(/overlap/)
    expect(readGameJson('{"subpackages":[{"name":"x","root":"a/"},{"name":"x","root":"b/"}]}').errors[0]).toMatch(/two subpackages are named "x"/)
  })

  it('names the keys the simulator does not act on', () => {
    expect(readGameJson('{"workers":"workers","openDataContext":"open"}').warnings).toHaveLength(2)
  })
})

describe('package size', () => {
  const { config } = readGameJson('{"subpackages":[{"name":"stage1","root":"stage1/"}]}')

  it('counts subpackage files apart from the main package, and leaves out project files', () => {
    const size = checkPackageSize(
      [
        { path: 'game.js', bytes: 1000 },
        { path: 'stage1/game.js', bytes: 5_000_000 },
        { path: 'project.config.json', bytes: 300 },
      ],
      config.subpackages,
    )
    expect(size).toEqual({ mainBytes: 1000, totalBytes: 5_001_000, errors: [] })
  })

  it('refuses a main package one byte over 4 MB, as the host would', () => {
    expect(checkPackageSize([{ path: 'game.js', bytes: MAIN_PACKAGE_LIMIT_BYTES }], []).errors).toEqual([])
    const over = checkPackageSize([{ path: 'game.js', bytes: MAIN_PACKAGE_LIMIT_BYTES - 10 }, { path: 'img/bg.png', bytes: 11 }], [])
    expect(over.errors).toHaveLength(1)
    expect(over.errors[0]).toMatch(/^main package source size 4,097 KB exceeds the host's limit of 4 MB \(4,096 KB\): the host refuses it/)
  })

  it('finds a subpackage by name or root, and which one a file is in', () => {
    expect(findSubpackage('stage1', config.subpackages)?.entry).toBe('stage1/game.js')
    expect(findSubpackage('stage1/', config.subpackages)?.name).toBe('stage1')
    expect(findSubpackage('stage2', config.subpackages)).toBeUndefined()
    expect(subpackageOf('stage1/a.js', config.subpackages)?.name).toBe('stage1')
    expect(subpackageOf('stage10/a.js', config.subpackages)).toBeUndefined()
  })
})

describe('project.config.json', () => {
  it('gives the appid, and none for tourist mode or no file', () => {
    expect(appIdOfProject('{"appid":"mg5a3f9c2e71d04b88","compileType":"game"}')).toEqual({ appId: 'mg5a3f9c2e71d04b88' })
    expect(appIdOfProject('{"appid":"touristappid"}')).toEqual({})
    expect(appIdOfProject(undefined)).toEqual({})
    expect(appIdOfProject('{"appid":12}').error).toMatch(/must be a string/)
  })
})
