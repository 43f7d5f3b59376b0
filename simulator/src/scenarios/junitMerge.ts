import { SaxesParser } from 'saxes'
import { xmlAttribute, xmlText } from './junit'

/**
 * Merging the JUnit files of a sharded run (`scenario run --shard i/n --junit …` on each CI
 * machine) into one report: every `<testsuite>` of every file, in the order given, under
 * one `<testsuites>` whose counts are the sums. The files are parsed with saxes (a strict,
 * spec-following XML parser) rather than cut with patterns, so a file that is not
 * well-formed is refused with its position, and CDATA or comments cannot confuse the
 * merge; the result is written back with the same escaping as {@link toJUnitXml}.
 */

interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: Array<XmlElement | string>
}

/** The counts a `<testsuites>` carries: summed over the suites merged. */
const COUNTED = ['tests', 'failures', 'errors', 'skipped'] as const

function parseXml(text: string, file: string): XmlElement {
  const parser = new SaxesParser({ position: true })
  const root: XmlElement = { name: '#document', attributes: {}, children: [] }
  const stack: XmlElement[] = [root]
  let failure: string | undefined
  parser.on('error', (error) => {
    failure ??= error.message
  })
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [k, String(v)])), children: [] }
    stack.at(-1)!.children.push(element)
    stack.push(element)
  })
  parser.on('text', (text) => void stack.at(-1)!.children.push(text))
  parser.on('cdata', (text) => void stack.at(-1)!.children.push(text))
  parser.on('closetag', () => void stack.pop())
  parser.write(text).close()
  if (failure) throw new Error(`${file} is not well-formed XML: ${failure}`)
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string')
  if (!top || (top.name !== 'testsuites' && top.name !== 'testsuite')) throw new Error(`${file} is not a JUnit report: its root element is <${top?.name ?? 'nothing'}>, not <testsuites> or <testsuite>`)
  return top
}

function serialize(element: XmlElement, indent: string): string {
  const attributes = Object.entries(element.attributes).map(([k, v]) => ` ${k}="${xmlAttribute(v)}"`).join('')
  if (element.children.every((c) => typeof c === 'string' && c.trim() === '')) return `${indent}<${element.name}${attributes}/>`
  const onlyText = element.children.every((c) => typeof c === 'string')
  if (onlyText) return `${indent}<${element.name}${attributes}>${xmlText(element.children.join(''))}</${element.name}>`
  const inner = element.children.flatMap((c) => (typeof c === 'string' ? (c.trim() ? [`${indent}  ${xmlText(c.trim())}`] : []) : [serialize(c, `${indent}  `)]))
  return [`${indent}<${element.name}${attributes}>`, ...inner, `${indent}</${element.name}>`].join('\n')
}

/**
 * Merges JUnit documents (their text and a name for messages each) into one.
 *
 * @example
 * const merged = mergeJUnitReports([{ file: 'shard-1.xml', text: await readFile('shard-1.xml', 'utf8') }, …])
 */
export function mergeJUnitReports(reports: ReadonlyArray<{ file: string; text: string }>, options: { name?: string } = {}): string {
  const suites = reports.flatMap(({ file, text }) => {
    const top = parseXml(text, file)
    return top.name === 'testsuite' ? [top] : top.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'testsuite')
  })
  const total = (attribute: string) => suites.reduce((sum, suite) => sum + (Number(suite.attributes[attribute]) || 0), 0)
  const attributes: Record<string, string> = { name: options.name ?? 'superapp-sim scenarios' }
  for (const counted of COUNTED) attributes[counted] = String(total(counted))
  attributes.time = total('time').toFixed(3)
  return ['<?xml version="1.0" encoding="UTF-8"?>', serialize({ name: 'testsuites', attributes, children: suites }, ''), ''].join('\n')
}
