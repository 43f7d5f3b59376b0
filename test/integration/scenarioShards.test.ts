/**
 * `scenario run --shard i/n` on several CI machines, then `scenario merge-junit`: the shards
 * split the shipped scenarios without overlap or gap, and the merged report counts what one
 * unsharded run would. Each shard runs against its own in-process simulator, as separate
 * machines would.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../scripts/artefacts.mjs'
import { loadScenarios } from '../../simulator/src/scenarios/loader'
import { parseShard, scenarioCommand, shardOf } from '../../simulator/src/scenarios/scenarioCommand'

const shipped = path.join(REPO_ROOT, 'simulator/scenarios')
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sim-shards-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function run(argv: string[]) {
  const out = { stdout: '', stderr: '' }
  const io = { stdout: { write: (text: string) => void (out.stdout += text) }, stderr: { write: (text: string) => void (out.stderr += text) }, cwd: REPO_ROOT }
  return scenarioCommand(argv, io).then((code) => ({ code, ...out }))
}

/** The testcase names and the root's counts of a JUnit file, read back with a strict XML parser. */
function readJUnit(xml: string) {
  const parser = new SaxesParser()
  const cases: string[] = []
  let root: Record<string, string> | undefined
  parser.on('error', (error) => {
    throw error
  })
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>
    root ??= attributes
    if (tag.name === 'testcase') cases.push(`${attributes.classname}: ${attributes.name}`)
  })
  parser.write(xml).close()
  return { cases, root: root! }
}

describe('scenario shards', () => {
  it('reads i/n and refuses what is not a shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    for (const bad of ['0/4', '5/4', '1/0', '2', '-1/3', '1/2/3', 'a/b', '1.5/3']) expect(parseShard(bad), bad).toBeNull()
  })

  it('deals the same files out the same way whatever order they came in', () => {
    const files = ['c.yaml', 'a.yaml', 'e.yaml', 'b.yaml', 'd.yaml'].map((file) => ({ file }))
    const parts = [1, 2].map((index) => shardOf(files, { index, count: 2 }).map((s) => s.file))
    expect(parts).toEqual([['a.yaml', 'c.yaml', 'e.yaml'], ['b.yaml', 'd.yaml']])
    expect(shardOf([...files].reverse(), { index: 2, count: 2 }).map((s) => s.file)).toEqual(['b.yaml', 'd.yaml'])
  })

  it('runs 3 shards of the shipped scenarios and merges their JUnit files into the whole run', async () => {
    const { scenarios } = await loadScenarios([shipped])
    const count = 3
    const reports: string[] = []
    for (let index = 1; index <= count; index++) {
      const file = path.join(dir, `shard-${index}.xml`)
      const result = await run(['run', shipped, '--shard', `${index}/${count}`, '--junit', file])
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(result.stdout).toContain(`(shard ${index}/${count} of ${scenarios.length})`)
      reports.push(file)
    }
    const parts = await Promise.all(reports.map(async (file) => readJUnit(await readFile(file, 'utf8')).cases))
    // Disjoint, complete, and within one of each other in size.
    const all = parts.flat()
    expect(new Set(all).size).toBe(all.length)
    expect(all).toHaveLength(scenarios.length)
    const sizes = parts.map((p) => p.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)

    const merged = path.join(dir, 'merged.xml')
    const result = await run(['merge-junit', '--out', merged, ...reports])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`${scenarios.length} tests, 0 failures, 0 errors`)
    const whole = readJUnit(await readFile(merged, 'utf8'))
    expect(whole.root).toMatchObject({ tests: String(scenarios.length), failures: '0', errors: '0' })
    expect(whole.cases.sort()).toEqual(all.sort())
  }, 120_000)

  it('sums failures and errors, keeps failure text, and refuses a file that is not JUnit XML', async () => {
    const failing = path.join(dir, 'failing.xml')
    await writeFile(
      failing,
      '<?xml version="1.0"?><testsuites><testsuite name="s" tests="2" failures="1" errors="1" skipped="0" time="1.5"><testcase classname="a.yaml" name="one"><failure message="expected &lt;2&gt;"><![CDATA[expected 2, got 1 </testsuite>]]></failure></testcase><testcase classname="b.yaml" name="two"><error message="boom">boom</error></testcase></testsuite></testsuites>',
    )
    const passing = path.join(dir, 'passing.xml')
    await writeFile(passing, '<testsuite name="t" tests="3" failures="0" errors="0" time="0.25"><testcase classname="c.yaml" name="three"/></testsuite>')
    const merged = path.join(dir, 'merged-failing.xml')
    const result = await run(['merge-junit', '--out', merged, failing, passing])
    expect(result.code, result.stderr).toBe(0)
    const text = await readFile(merged, 'utf8')
    expect(readJUnit(text).root).toMatchObject({ tests: '5', failures: '1', errors: '1', time: '1.750' })
    // CDATA text survives as escaped text, and does not end the suite early.
    expect(text).toContain('expected 2, got 1 &lt;/testsuite&gt;')
    expect(readJUnit(text).cases).toEqual(['a.yaml: one', 'b.yaml: two', 'c.yaml: three'])

    const broken = path.join(dir, 'broken.xml')
    await writeFile(broken, '<testsuites><testsuite name="x"></testsuites>')
    const refused = await run(['merge-junit', '--out', path.join(dir, 'never.xml'), broken])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/broken\.xml is not well-formed XML/)
    const html = path.join(dir, 'page.xml')
    await writeFile(html, '<html><body/></html>')
    expect((await run(['merge-junit', '--out', path.join(dir, 'never.xml'), html])).stderr).toMatch(/not a JUnit report: its root element is <html>/)
    expect((await run(['merge-junit', failing])).code).toBe(2)
  })
})
