import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { stripIllegalXmlChars, toJUnitXml, xmlAttribute, xmlText } from '../../simulator/src/scenarios/junit'
import { formatFailure } from '../../simulator/src/scenarios/reporters'
import type { RunSummary, ScenarioResult } from '../../simulator/src/scenarios/runner'
import type { Scenario } from '../../simulator/src/scenarios/schema'

/**
 * Parses XML back with saxes, a strict, spec-following streaming parser (it checks
 * well-formedness: characters XML 1.0 forbids, entities, attribute quoting, nesting). It is
 * already installed (exceljs reads .xlsx with it), so the test needs no new dependency.
 */
interface XmlElement {
  name: string
  attributes: Record<string, string>
  text: string
  children: XmlElement[]
}

function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser()
  const errors: string[] = []
  const root: XmlElement = { name: '#document', attributes: {}, text: '', children: [] }
  const stack = [root]
  parser.on('error', (error) => errors.push(error.message))
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', children: [] }
    stack.at(-1)!.children.push(element)
    stack.push(element)
  })
  parser.on('text', (text) => void (stack.at(-1)!.text += text))
  parser.on('closetag', () => void stack.pop())
  parser.write(xml).close()
  if (errors.length) throw new Error(`not well-formed XML: ${errors.join('; ')}`)
  return root.children[0]!
}

const scenario = (name: string, file: string): Scenario => ({ file, name, game: 'mg', players: ['player-1'], prices: {}, steps: [], line: 1 })

const nasty = 'a & b < c > d "quoted" \'single\' \u0000 nul \u0008 bs \uFFFE \uD800 lone surrogate, tab\tnewline\n emoji \u{1F600} ]]> end'

function summaryOf(results: ScenarioResult[]): RunSummary {
  return {
    results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    errors: results.filter((r) => r.status === 'error').length,
    durationMs: 2345,
  }
}

describe('the JUnit report', () => {
  const summary = summaryOf([
    { scenario: scenario('passes', '/work/s/pass.yaml'), status: 'passed', durationMs: 120, stepsRun: 2, sandbox: 'scn-1-0', log: ['ok   step 1'] },
    {
      scenario: scenario(`fails ${nasty}`, '/work/s/fail.yaml'),
      status: 'failed',
      durationMs: 1500,
      stepsRun: 1,
      sandbox: 'scn-1-1',
      failure: { type: 'failure', stepIndex: 1, stepKind: 'expectInventory', line: 7, message: `has 1, expected 2 ${nasty}`, expected: '2', actual: '1' },
      log: ['ok   step 1', `FAIL step 2 ${nasty}`],
    },
    {
      scenario: scenario('was reset', '/work/s/reset.yaml'),
      status: 'error',
      durationMs: 700,
      stepsRun: 0,
      sandbox: 'scn-1-2',
      failure: { type: 'error', stepIndex: 0, stepKind: 'login', line: 4, message: 'the sandbox was reset during the scenario' },
      log: [],
    },
  ])

  it('is well-formed XML with the counts, classnames, names and times CI reporters read', () => {
    const xml = toJUnitXml(summary, { baseDir: '/work', timestamp: new Date('2026-11-26T12:00:00Z') })
    const suites = parseXml(xml)
    expect(suites.name).toBe('testsuites')
    expect(suites.attributes).toMatchObject({ tests: '3', failures: '1', errors: '1', skipped: '0', time: '2.345' })
    const [suite] = suites.children
    expect(suite!.name).toBe('testsuite')
    expect(suite!.attributes).toMatchObject({ name: 'superapp-sim scenarios', tests: '3', failures: '1', errors: '1', timestamp: '2026-11-26T12:00:00' })
    const cases = suite!.children
    expect(cases.map((c) => [c.name, c.attributes.classname, c.attributes.time])).toEqual([
      ['testcase', 's/pass.yaml', '0.120'],
      ['testcase', 's/fail.yaml', '1.500'],
      ['testcase', 's/reset.yaml', '0.700'],
    ])
    expect(cases[0]!.children.map((c) => c.name)).toEqual(['system-out'])
    const failure = cases[1]!.children.find((c) => c.name === 'failure')!
    expect(failure.attributes.type).toBe('ExpectationFailed')
    expect(failure.attributes.message).toMatch(/^step 2 expectInventory \(s\/fail\.yaml:7\): has 1, expected 2 a & b < c > d "quoted" 'single'/)
    expect(failure.text).toContain('expected: 2\nactual:   1\nsandbox: scn-1-1')
    const error = cases[2]!.children.find((c) => c.name === 'error')!
    expect(error.attributes).toMatchObject({ type: 'ScenarioError', message: 'step 1 login (s/reset.yaml:4): the sandbox was reset during the scenario' })
  })

  it('says where and why a scenario failed in the very words of the console report', () => {
    const failed: ScenarioResult = {
      ...summary.results[1]!,
      scenario: scenario('fails', '/work/s/fail.yaml'),
      failure: { type: 'failure', stepIndex: 1, stepKind: 'expectInventory', line: 7, message: 'player-1 has 1 gem_pack_small, expected 2', expected: '2', actual: '1' },
    }
    const xml = toJUnitXml(summaryOf([failed]), { baseDir: '/work' })
    const failure = parseXml(xml).children[0]!.children[0]!.children.find((c) => c.name === 'failure')!
    const console = formatFailure(failed, '/work', '')
    expect(console).toBe('step 2 expectInventory (s/fail.yaml:7): player-1 has 1 gem_pack_small, expected 2\nexpected: 2\nactual:   1')
    expect(failure.text).toBe(`${console}\nsandbox: scn-1-1`)
    expect(failure.attributes.message).toBe(console.split('\n')[0])
  })

  it('keeps what XML can carry (quotes, tabs, newlines in attributes, emoji) and drops what it cannot', () => {
    const xml = toJUnitXml(summary, { baseDir: '/work' })
    const name = parseXml(xml).children[0]!.children[1]!.attributes.name!
    expect(name).toBe(`fails ${stripIllegalXmlChars(nasty)}`)
    expect(name).toContain('tab\tnewline\n emoji \u{1F600} ]]> end')
    expect(name).not.toMatch(/[\u0000\u0008\uFFFE\uD800]/)
  })

  it('escapes text and attributes by the rules of XML 1.0', () => {
    expect(xmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c')
    expect(xmlAttribute(`"'<&\t\n\r`)).toBe('&quot;&apos;&lt;&amp;&#9;&#10;&#13;')
    expect(stripIllegalXmlChars('ok\u0001\u001F\uDC00\uFFFF\u{10FFFF}')).toBe('ok\u{10FFFF}')
  })

  it('is valid for an empty run too', () => {
    const suites = parseXml(toJUnitXml(summaryOf([])))
    expect(suites.attributes).toMatchObject({ tests: '0', failures: '0', errors: '0' })
  })
})
