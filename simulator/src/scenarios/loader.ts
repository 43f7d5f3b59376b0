import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml'
import type { z } from 'zod'
import { SHEET_FAILURE_CODES } from '../payments/sheetPolicy'
import { closestName, didYouMean } from './hints'
import {
  DEFAULT_GAME,
  STEP_KINDS,
  TAMPERS,
  scenarioSchema,
  type Scenario,
  type ScenarioStep,
  type StepKind,
} from './schema'

/** One thing wrong with a scenario file, where it is, and what to do about it. */
export interface ScenarioProblem {
  file: string
  line: number
  col: number
  message: string
  hint?: string
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] }

/** Extensions a folder given to `scenario run` is searched for. */
export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'] as const

/** `file:line:col  message  (hint)`, the way editors and terminals link to a place. */
export function formatProblem(problem: ScenarioProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}  ${problem.message}${problem.hint ? `  (${problem.hint})` : ''}`
}

type PathKey = string | number

/**
 * Parses and validates one scenario. The YAML document keeps each node's source range, so
 * every zod issue (and every cross-step check: unknown players, buys referred to before they
 * exist) is reported at the line and column of the value or key it is about.
 */
export function parseScenario(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0)
    return { line: Math.max(1, line), col: Math.max(1, col) }
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file,
        ...at(error.pos[0]),
        message: `not valid YAML/JSON: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    }
  }
  if (!isMap(doc.contents)) {
    return { ok: false, problems: [{ file, line: 1, col: 1, message: 'a scenario file holds one mapping with name, players and steps' }] }
  }

  const locate = (keys: readonly PathKey[], target: 'value' | 'key' = 'value') => at(findNode(doc, keys, target)?.range?.[0])
  const problems: ScenarioProblem[] = []
  const report = (keys: readonly PathKey[], message: string, hint?: string, target: 'value' | 'key' = 'value') =>
    void problems.push({ file, ...locate(keys, target), message, ...(hint ? { hint } : {}) })

  const parsed = scenarioSchema.safeParse(doc.toJS({ maxAliasCount: 100 }))
  if (!parsed.success) {
    reportIssues(parsed.error.issues, doc, report)
    return { ok: false, problems: sortProblems(problems) }
  }

  const data = parsed.data
  const steps: ScenarioStep[] = data.steps.map((written, index) => {
    const kind = Object.keys(written)[0] as StepKind
    return { kind, index, line: locate(['steps', index]).line, value: written[kind] } as ScenarioStep
  })
  checkReferences(data, steps, report)
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) }
  return {
    ok: true,
    scenario: {
      file,
      name: data.name,
      ...(data.description === undefined ? {} : { description: data.description }),
      ...(data.fixture === undefined ? {} : { fixture: data.fixture }),
      game: data.game ?? DEFAULT_GAME,
      players: data.players,
      prices: data.prices ?? {},
      ...(data.timeout === undefined ? {} : { timeoutMs: data.timeout }),
      steps,
      line: locate(['name']).line,
    },
  }
}

function sortProblems(problems: ScenarioProblem[]): ScenarioProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col)
}

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

function knownKeysAt(keys: readonly PathKey[]): string[] {
  const def = defOf(schemaAt(scenarioSchema, keys))
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : []
}

/** "step 3 (buy): quantity" for a data path, or the top-level key. */
function describePath(keys: readonly PathKey[]): string {
  if (keys[0] === 'steps' && typeof keys[1] === 'number') {
    const rest = keys
      .slice(3)
      .map((k) => (typeof k === 'number' ? `[${k + 1}]` : `.${k}`))
      .join('')
      .replace(/^\./, '')
    const where = `step ${keys[1] + 1}${typeof keys[2] === 'string' ? ` (${keys[2]})` : ''}`
    return rest ? `${where}: ${rest}` : where
  }
  return keys.map((k) => (typeof k === 'number' ? `[${k + 1}]` : k)).join('.') || 'the scenario'
}

function hasKey(doc: Document, keys: readonly PathKey[]): boolean {
  return doc.hasIn(keys as PathKey[])
}

type Report = (keys: readonly PathKey[], message: string, hint?: string, target?: 'value' | 'key') => void

function reportIssues(issues: readonly z.core.$ZodIssue[], doc: Document, report: Report): void {
  const unknownKeyHints = new Set<string>()
  // An unknown key close to a missing required one is one mistake (a typo): report it once.
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue
    const known = knownKeysAt(issue.path as PathKey[])
    for (const key of issue.keys) {
      const closest = closestName(key, known)
      if (closest) unknownKeyHints.add(JSON.stringify([...issue.path, closest]))
    }
  }
  const stepsWithUnknownAction = new Set(
    issues.filter((i) => i.code === 'unrecognized_keys' && isStepPath(i.path)).map((i) => JSON.stringify(i.path)),
  )
  for (const issue of issues) {
    const keys = issue.path as PathKey[]
    const message = issue.message.replace(/^Invalid input: /, '')
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(keys)
      const isStep = isStepPath(keys)
      for (const key of issue.keys) {
        const hint = isStep ? didYouMean(key, STEP_KINDS, 'steps are') : didYouMean(key, known, 'allowed keys:')
        const where = isStep ? `step ${(keys[1] as number) + 1}: unknown step "${key}"` : `${keys.length ? `${describePath(keys)}: ` : ''}unknown key "${key}"`
        report([...keys, key], where, hint, 'key')
      }
      continue
    }
    if (issue.code === 'custom' && isStepPath(keys) && stepsWithUnknownAction.has(JSON.stringify(keys))) continue
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && keys.length > 0 && !hasKey(doc, keys)) {
      if (unknownKeyHints.has(JSON.stringify(keys))) continue
      const parent = keys.slice(0, -1)
      report(parent, `${describePath(parent)}: missing "${String(keys.at(-1))}"`, undefined, 'value')
      continue
    }
    if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
      const got = doc.getIn(keys as PathKey[])
      const hint = typeof got === 'string' ? closestName(got, issue.values as string[]) : undefined
      report(keys, `${describePath(keys)}: expected one of ${issue.values.join(', ')}`, hint ? `did you mean ${hint}?` : undefined)
      continue
    }
    if (issue.code === 'invalid_union') {
      // The branch that got furthest (e.g. the list form of `tamper`) says what is wrong inside it.
      const deepest = issue.errors
        .map((branch) => branch.map((inner) => ({ ...inner, path: [...keys, ...inner.path] }) as z.core.$ZodIssue))
        .sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0]
      if (deepest?.length && deepest[0]!.path.length > keys.length) reportIssues(deepest, doc, report)
      else report(keys, `${describePath(keys)}: ${unionMessage(keys)}`)
      continue
    }
    report(keys, `${describePath(keys)}: ${message}`)
  }
}

function unionMessage(keys: readonly PathKey[]): string {
  if (keys.at(-1) === 'tamper') return `expected one of ${TAMPERS.join(', ')}, or a list of them`
  return 'invalid value'
}

function isStepPath(keys: readonly PropertyKey[]): boolean {
  return keys.length === 2 && keys[0] === 'steps' && typeof keys[1] === 'number'
}

type ParsedScenario = z.output<typeof scenarioSchema>

const PLACEHOLDER = /\{([A-Za-z]+)(?::([^}]*))?\}/g

/** Checks what a schema cannot: names a step refers to (players, buys) exist where it is written. */
function checkReferences(data: ParsedScenario, steps: ScenarioStep[], report: Report): void {
  const players = new Set<string>()
  data.players.forEach((player, index) => {
    if (players.has(player)) report(['players', index], `player ${player} is listed twice`)
    players.add(player)
  })
  const logins = new Map<string, number>()
  const buys: string[] = []
  const knownPlayer = (player: string, keys: PathKey[]) => {
    if (players.has(player)) return true
    report(keys, `${describePath(keys)}: player "${player}" is not in players`, didYouMean(player, [...players], 'players are'))
    return false
  }
  const knownBuy = (ref: string, keys: PathKey[]) => {
    if (buys.includes(ref)) return
    const later = steps.some((s) => s.kind === 'buy' && s.value.id === ref)
    const hint = later ? 'it is defined by a later step: refer to a buy after it' : buys.length ? didYouMean(ref, buys, 'buys so far:') : 'give the buy an id first'
    report(keys, `${describePath(keys)}: no earlier buy with id "${ref}"`, hint)
  }
  const loggedIn = (player: string, keys: PathKey[], why: string) => {
    if (!logins.has(player)) report(keys, `${describePath(keys)}: ${player} ${why} before logging in`, `add "- login: ${player}" before this step`)
  }

  for (const step of steps) {
    const base: PathKey[] = ['steps', step.index, step.kind]
    switch (step.kind) {
      case 'login':
        if (knownPlayer(step.value, base)) logins.set(step.value, (logins.get(step.value) ?? 0) + 1)
        break
      case 'buy': {
        const buy = step.value
        if (knownPlayer(buy.player, [...base, 'player'])) loggedIn(buy.player, [...base, 'player'], 'buys')
        if (buy.id !== undefined && buys.includes(buy.id)) report([...base, 'id'], `${describePath([...base, 'id'])}: a buy "${buy.id}" exists already`, 'buy ids are unique within a scenario')
        if (buy.outcome === 'fail' && buy.errCode === undefined) report(base, `${describePath(base)}: outcome fail needs errCode (the code the sheet fails with, e.g. -1 or -2)`)
        if (buy.errCode !== undefined && buy.outcome === 'fail') checkSheetFailure(buy.errCode, [...base, 'errCode'], report)
        if (buy.errCode !== undefined && buy.outcome !== 'fail') {
          report([...base, 'errCode'], `${describePath([...base, 'errCode'])}: errCode is the code of a failing sheet and needs outcome: fail`, 'to check the errCode the buy ends with, use expect')
        }
        if (buy.wait === false && buy.expect !== undefined) report([...base, 'expect'], `${describePath([...base, 'expect'])}: a buy with wait: false is checked later`, `use "- expectResult: {buy: ${buy.id ?? '<id>'}, errCode: ${buy.expect}}"`)
        if (buy.wait === false && buy.id === undefined) report([...base, 'wait'], `${describePath([...base, 'wait'])}: a buy with wait: false needs an id`, 'give it an id to check it later with expectResult')
        if (buy.outTradeNo !== undefined && buy.reuseOutTradeNo !== undefined) report([...base, 'reuseOutTradeNo'], `${describePath(base)}: give outTradeNo or reuseOutTradeNo, not both`)
        if (buy.reuseOutTradeNo !== undefined) knownBuy(buy.reuseOutTradeNo, [...base, 'reuseOutTradeNo'])
        const tampers = buy.tamper === undefined ? [] : Array.isArray(buy.tamper) ? buy.tamper : [buy.tamper]
        if (tampers.includes('staleSessionKey') && (logins.get(buy.player) ?? 0) < 2) {
          report([...base, 'tamper'], `${describePath([...base, 'tamper'])}: staleSessionKey needs two logins of ${buy.player} before this buy`, `add a second "- login: ${buy.player}"`)
        }
        if (buy.id !== undefined) buys.push(buy.id)
        break
      }
      case 'expectResult':
      case 'expectOrder':
      case 'expectRefundNotification':
        knownBuy(step.value.buy, [...base, 'buy'])
        break
      case 'expectDelivery':
        knownBuy(step.value.buy, [...base, 'buy'])
        if (step.value.delivered === false && step.value.within !== undefined) report([...base, 'within'], `${describePath([...base, 'within'])}: within is for delivered: true`)
        break
      case 'refund':
        knownBuy(step.value.buy, [...base, 'buy'])
        if (step.value.by === 'player' && step.value.amount !== undefined) {
          report([...base, 'amount'], `${describePath([...base, 'amount'])}: a player's refund request is always the whole amount left`, 'amount is for by: developer')
        }
        break
      case 'receiver': {
        const set = Object.keys(step.value)
        if (set.length !== 1) report(base, `${describePath(base)}: give exactly one of failNext, down, up, slowMs${set.length ? ` (found ${set.join(', ')})` : ''}`)
        break
      }
      case 'expectInventory':
        if (knownPlayer(step.value.player, [...base, 'player'])) loggedIn(step.value.player, [...base, 'player'], 'has no openid')
        break
      case 'http':
        for (const [, name, arg] of step.value.get.matchAll(PLACEHOLDER)) {
          const keys = [...base, 'get']
          if (name === 'sandbox' || name === 'game' || name === 'appId') {
            if (arg !== undefined) report(keys, `${describePath(keys)}: {${name}} takes no argument`)
          } else if (name === 'openid') {
            if (arg === undefined) report(keys, `${describePath(keys)}: write {openid:<player>}`)
            else if (knownPlayer(arg, keys)) loggedIn(arg, keys, 'has no openid')
          } else if (name === 'outTradeNo' || name === 'orderNo') {
            if (arg === undefined) report(keys, `${describePath(keys)}: write {${name}:<buy id>}`)
            else knownBuy(arg, keys)
          } else {
            report(keys, `${describePath(keys)}: unknown placeholder {${name}}`, didYouMean(name!, ['sandbox', 'game', 'appId', 'openid', 'outTradeNo', 'orderNo'], 'placeholders are'))
          }
        }
        break
      case 'fault':
        if (step.value.kind === 'delay' && step.value.delay === undefined) report(base, `${describePath(base)}: a delay fault needs delay (e.g. 30s)`)
        if (step.value.kind !== 'delay' && step.value.delay !== undefined) report([...base, 'delay'], `${describePath([...base, 'delay'])}: delay is for kind: delay`)
        if (step.value.kind === 'none' && step.value.count !== undefined) report([...base, 'count'], `${describePath([...base, 'count'])}: kind none clears the faults and takes no count`)
        break
      case 'sheetPolicy':
        if (step.value.player !== undefined) knownPlayer(step.value.player, [...base, 'player'])
        if (step.value.policy === 'fail' && step.value.errCode === undefined) report(base, `${describePath(base)}: policy fail needs errCode (e.g. -1 or -2)`)
        if (step.value.policy === 'fail' && step.value.errCode !== undefined) checkSheetFailure(step.value.errCode, [...base, 'errCode'], report)
        if (step.value.policy !== 'fail' && step.value.errCode !== undefined) report([...base, 'errCode'], `${describePath([...base, 'errCode'])}: errCode is for policy: fail`)
        break
      case 'advanceClock':
        break
    }
  }
}

/** A failing sheet ends with one of the host's own failures, never a validation errCode. */
function checkSheetFailure(errCode: number, keys: PathKey[], report: Report): void {
  if ((SHEET_FAILURE_CODES as readonly number[]).includes(errCode)) return
  report(keys, `${describePath(keys)}: a failing sheet ends with ${SHEET_FAILURE_CODES.join(', ')}, not ${errCode}`, 'the host\'s other errCodes come from what the game sends: use tampering (price, tamper, ...) and expect')
}

/** Reads and validates one file. */
export async function loadScenarioFile(file: string): Promise<LoadResult> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return { ok: false, problems: [{ file, line: 1, col: 1, message: `cannot read the file: ${(error as Error).message}` }] }
  }
  return parseScenario(text, file)
}

/**
 * Expands files and folders (searched recursively for .yaml, .yml and .json, sorted) into
 * scenario files, and validates them all. Nothing should run unless `problems` is empty.
 */
export async function loadScenarios(inputs: readonly string[]): Promise<{ scenarios: Scenario[]; problems: ScenarioProblem[] }> {
  const files: string[] = []
  const problems: ScenarioProblem[] = []
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined)
    if (!info) problems.push({ file: input, line: 1, col: 1, message: 'no such file or folder' })
    else if (info.isDirectory()) {
      const found = await scenarioFilesIn(input)
      if (found.length === 0) problems.push({ file: input, line: 1, col: 1, message: `no scenario files (${SCENARIO_EXTENSIONS.join(', ')}) in this folder` })
      files.push(...found)
    } else files.push(input)
  }
  const scenarios: Scenario[] = []
  for (const file of [...new Set(files)]) {
    const result = await loadScenarioFile(file)
    if (result.ok) scenarios.push(result.scenario)
    else problems.push(...result.problems)
  }
  return { scenarios, problems }
}

async function scenarioFilesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && SCENARIO_EXTENSIONS.some((ext) => e.name.endsWith(ext)))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}
