import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml'
import type { z } from 'zod'
import { closestName, didYouMean } from './hints'

/**
 * YAML (or JSON, which is YAML) validated by a zod schema, every problem reported at the
 * line and column of the value or key it is about, with "did you mean" hints for unknown
 * keys and enum values. Scenario files (loader.ts) and fixture files
 * (fixtures/fixtureFile.ts) both read through {@link parseYamlWith}; each says how a data
 * path reads in its messages ({@link YamlWording}).
 */

/** One thing wrong with a file, where it is, and what to do about it. */
export interface YamlProblem {
  file: string
  line: number
  col: number
  message: string
  hint?: string
}

export type PathKey = string | number

/** `file:line:col  message  (hint)`, the way editors and terminals link to a place. */
export function formatProblem(problem: YamlProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}  ${problem.message}${problem.hint ? `  (${problem.hint})` : ''}`
}

/** How a file kind phrases its problems. */
export interface YamlWording {
  /** Puts a data path into a message about it, e.g. "step 2 (buy): quantity: <text>" or "<text> (games.0.payment)". */
  at(keys: readonly PathKey[], text: string): string
  /** Overrides how an unknown key at `keys` reads (default: `unknown key "x"`, the closest allowed key as hint). */
  unknownKey?(keys: readonly PathKey[], key: string, known: readonly string[]): { message: string; hint?: string } | undefined
  /** True for an issue that another one explains better (it is not reported). */
  skip?(issue: z.core.$ZodIssue, issues: readonly z.core.$ZodIssue[]): boolean
  /** The message of a union no branch of which fits (default "invalid value"). */
  union?(keys: readonly PathKey[]): string
  /** When set, a document that is not one mapping is refused with this message; else an empty document reads as {}. */
  notAMapping?: string
}

/** Where a data path is in the file: the value's node, or with `key` the key of its pair. */
export type Locate = (keys: readonly PathKey[], target?: 'value' | 'key') => { line: number; col: number }

/**
 * A refused file: its problems and, when it was YAML at all, what a caller can still check
 * (the raw data, and `data` when only recoverable YAML problems were found), so a file's
 * every mistake is reported in one go rather than one stage at a time.
 */
export type YamlRefusal<T> = { ok: false; problems: YamlProblem[]; readable?: { raw: unknown; data?: T; locate: Locate } }

export type YamlParse<T> = { ok: true; data: T; doc: Document; locate: Locate } | YamlRefusal<T>

/**
 * YAML errors after which the document is still what was written: a repeated key (the later
 * value wins). After any other (a bad indent, an unclosed bracket) the structure is a guess,
 * so nothing past it is checked.
 */
const RECOVERABLE_YAML_ERRORS: ReadonlySet<string> = new Set(['DUPLICATE_KEY'])

/**
 * Parses `text` and validates it with `schema`.
 *
 * @example
 * const parsed = parseYamlWith(fixtureDocumentSchema, text, 'team.yaml', { at: (keys, text) => `${text} (${keys.join('.')})` })
 * if (!parsed.ok) console.error(parsed.problems.map(formatProblem).join('\n'))
 */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, file: string, wording: YamlWording): YamlParse<z.output<S>> {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0)
    return { line: Math.max(1, line), col: Math.max(1, col) }
  }
  const problems: YamlProblem[] = doc.errors.map((error) => ({
    file,
    ...at(error.pos[0]),
    message: `not valid YAML/JSON: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }))
  if (doc.errors.some((error) => !RECOVERABLE_YAML_ERRORS.has(error.code))) return { ok: false, problems }
  if (wording.notAMapping !== undefined && !isMap(doc.contents)) {
    return { ok: false, problems: [...problems, { file, line: 1, col: 1, message: wording.notAMapping }] }
  }
  const locate: Locate = (keys, target = 'value') => at(findNode(doc, keys, target)?.range?.[0])
  const report: Report = (keys, message, hint, target = 'value') => void problems.push({ file, ...locate(keys, target), message, ...(hint ? { hint } : {}) })
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {}
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    reportIssues(schema, parsed.error.issues, doc, wording, report)
    return { ok: false, problems: sortProblems(problems), readable: { raw, locate } }
  }
  if (problems.length > 0) return { ok: false, problems, readable: { raw, data: parsed.data, locate } }
  return { ok: true, data: parsed.data, doc, locate }
}

export function sortProblems<P extends YamlProblem>(problems: P[]): P[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col)
}

/** Reports a problem at a data path (the value there, or with `key` the key). */
export type Report = (keys: readonly PathKey[], message: string, hint?: string, target?: 'value' | 'key') => void

/** The node at a path of the document; with `key`, the key of the last pair (for unknown keys). Falls back to the deepest node found. */
function findNode(doc: Document, keys: readonly PathKey[], target: 'value' | 'key'): Node | undefined {
  let node: unknown = doc.contents
  let pair: Pair | undefined
  for (const key of keys) {
    if (isAlias(node)) node = node.resolve(doc)
    let next: unknown
    pair = undefined
    if (isMap(node)) {
      pair = node.items.find((item) => isPair(item) && (isScalar(item.key) ? item.key.value : item.key) === key) as Pair | undefined
      next = pair?.value
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key]
    }
    if (!next) return (target === 'key' && pair?.key ? pair.key : node) as Node | undefined
    node = next
  }
  if (target === 'key' && pair?.key) return pair.key as Node
  return node as Node | undefined
}

interface SchemaDef {
  type: string
  shape?: Record<string, unknown>
  element?: unknown
  innerType?: unknown
  in?: unknown
  options?: unknown[]
}

const defOf = (schema: unknown): SchemaDef => (schema as { _zod: { def: SchemaDef } })._zod.def

/** The zod schema at a data path, looking through optional, default and pipe wrappers. */
function schemaAt(root: unknown, keys: readonly PathKey[]): unknown {
  let schema: unknown = root
  const unwrap = () => {
    for (;;) {
      const def = defOf(schema)
      if (def.innerType) schema = def.innerType
      else if (def.type === 'pipe') schema = def.in
      else return def
    }
  }
  for (const key of keys) {
    const def = unwrap()
    if (def.type === 'object' && typeof key === 'string') schema = def.shape?.[key]
    else if (def.type === 'array') schema = def.element
    else if (def.type === 'union') schema = def.options?.find((o) => defOf(o).type === (typeof key === 'number' ? 'array' : 'object'))
    else return undefined
    if (!schema) return undefined
  }
  unwrap()
  return schema
}

/** The keys an object schema allows at a data path (none when it is not an object). */
export function knownKeysAt(root: z.ZodType, keys: readonly PathKey[]): string[] {
  const schema = schemaAt(root, keys)
  const def = schema ? defOf(schema) : undefined
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : []
}

function reportIssues(root: z.ZodType, issues: readonly z.core.$ZodIssue[], doc: Document, wording: YamlWording, report: Report): void {
  const unknownKeyHints = new Set<string>()
  // An unknown key close to a missing required one is one mistake (a typo): report it once.
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue
    const known = knownKeysAt(root, issue.path as PathKey[])
    for (const key of issue.keys) {
      const closest = closestName(key, known)
      if (closest) unknownKeyHints.add(JSON.stringify([...issue.path, closest]))
    }
  }
  for (const issue of issues) {
    const keys = issue.path as PathKey[]
    if (wording.skip?.(issue, issues)) continue
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(root, keys)
      for (const key of issue.keys) {
        const custom = wording.unknownKey?.(keys, key, known)
        const text = `unknown key "${key}"`
        const { message, hint } = custom ?? { message: keys.length ? wording.at(keys, text) : text, hint: didYouMean(key, known, 'allowed keys:') }
        report([...keys, key], message, hint, 'key')
      }
      continue
    }
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && keys.length > 0 && !doc.hasIn(keys)) {
      if (unknownKeyHints.has(JSON.stringify(keys))) continue
      const parent = keys.slice(0, -1)
      report(parent, wording.at(parent, `missing "${String(keys.at(-1))}"`), undefined, 'value')
      continue
    }
    if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
      const got = doc.getIn(keys)
      const hint = typeof got === 'string' ? closestName(got, issue.values as string[]) : undefined
      report(keys, wording.at(keys, `expected one of ${issue.values.join(', ')}`), hint ? `did you mean ${hint}?` : undefined)
      continue
    }
    if (issue.code === 'invalid_union') {
      // The branch that got furthest (e.g. the list form of `tamper`) says what is wrong inside it.
      const deepest = issue.errors
        .map((branch) => branch.map((inner) => ({ ...inner, path: [...keys, ...inner.path] }) as z.core.$ZodIssue))
        .sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0]
      if (deepest?.length && deepest[0]!.path.length > keys.length) reportIssues(root, deepest, doc, wording, report)
      else report(keys, wording.at(keys, wording.union?.(keys) ?? 'invalid value'))
      continue
    }
    report(keys, wording.at(keys, issue.message.replace(/^Invalid input: /, '')))
  }
}
