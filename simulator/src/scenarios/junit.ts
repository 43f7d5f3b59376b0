import { hostname } from 'node:os'
import { failureLines, relativeFile } from './reporters'
import type { RunSummary, ScenarioResult } from './runner'

/**
 * JUnit XML for CI (the de-facto schema Jenkins, GitLab and GitHub reporters read): one
 * `<testsuite>` per run, one `<testcase>` per scenario (classname = its file, name = its
 * name), `<failure>` for an expectation that did not hold and `<error>` for a scenario that
 * could not go on (a reset sandbox, an unreachable simulator). Written by hand: the format
 * is small, and every text goes through {@link xmlText} / {@link xmlAttribute}.
 */

/** Characters XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Lone surrogates are not. */
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Removes what XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/FFFF). */
export function stripIllegalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, '')
}

/** Text content: & and < must be escaped; > too, so that "]]>" never appears. */
export function xmlText(text: string): string {
  return stripIllegalXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** An attribute value in double quotes; tabs and newlines as references, so parsers keep them. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

export interface JUnitOptions {
  /** The suite's name. Default "superapp-sim scenarios". */
  suiteName?: string
  /** Files are named relative to this folder. Default the working directory. */
  baseDir?: string
  /** Default now. */
  timestamp?: Date
}

/**
 * Renders a run as a JUnit XML document.
 *
 * @example
 * await writeFile('report.xml', toJUnitXml(await runScenarios(scenarios, { simulatorUrl })))
 */
export function toJUnitXml(summary: RunSummary, options: JUnitOptions = {}): string {
  const name = options.suiteName ?? 'superapp-sim scenarios'
  const baseDir = options.baseDir ?? process.cwd()
  const { results } = summary
  const counts = `tests="${results.length}" failures="${summary.failed}" errors="${summary.errors}" skipped="0" time="${seconds(summary.durationMs)}"`
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttribute(name)}" ${counts}>`,
    `  <testsuite name="${xmlAttribute(name)}" ${counts} timestamp="${(options.timestamp ?? new Date()).toISOString().slice(0, 19)}" hostname="${xmlAttribute(hostname())}">`,
    ...results.flatMap((result) => testCase(result, baseDir)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ]
  return lines.join('\n')
}

function testCase(result: ScenarioResult, baseDir: string): string[] {
  const open = `    <testcase classname="${xmlAttribute(relativeFile(result.scenario.file, baseDir))}" name="${xmlAttribute(result.scenario.name)}" time="${seconds(result.durationMs)}"`
  const out = result.log.length ? [`      <system-out>${xmlText(result.log.join('\n'))}</system-out>`] : []
  if (!result.failure) return out.length ? [`${open}>`, ...out, '    </testcase>'] : [`${open}/>`]
  const element = result.failure.type === 'failure' ? 'failure' : 'error'
  const type = result.failure.type === 'failure' ? 'ExpectationFailed' : 'ScenarioError'
  const lines = failureLines(result, baseDir)
  return [
    `${open}>`,
    `      <${element} message="${xmlAttribute(lines[0]!)}" type="${type}">${xmlText([...lines, `sandbox: ${result.sandbox}`].join('\n'))}</${element}>`,
    ...out,
    '    </testcase>',
  ]
}
