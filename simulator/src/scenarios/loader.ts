import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import { SHEET_FAILURE_CODES } from '../payments/sheetPolicy'
import { didYouMean } from './hints'
import {
  DEFAULT_GAME,
  STEP_KINDS,
  TAMPERS,
  URL_PLACEHOLDER,
  URL_PLACEHOLDERS,
  scenarioSchema,
  stepSchema,
  type Scenario,
  type ScenarioStep,
  type StepKind,
} from './schema'
import { parseYamlWith, sortProblems, type PathKey, type Report, type YamlProblem, type YamlWording } from './yamlSchema'

/**
 * Reads scenario files: YAML through the scenario schema (yamlSchema.ts places each problem
 * at its line), then the checks across steps a schema cannot make.
 */

export { formatProblem } from './yamlSchema'

/** One thing wrong with a scenario file, where it is, and what to do about it. */
export type ScenarioProblem = YamlProblem

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] }

/** Extensions a folder given to `scenario run` is searched for. */
export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'] as const

/** How scenario problems read: "step 3 (buy): quantity: ...", an unknown step with the closest step name. */
const scenarioWording: YamlWording = {
  at: (keys, text) => `${describePath(keys)}: ${text}`,
  unknownKey: (keys, key) => (isStepPath(keys) ? { message: `step ${(keys[1] as number) + 1}: unknown step "${key}"`, hint: didYouMean(key, STEP_KINDS, 'steps are') } : undefined),
  // A step with an unknown action also "needs one action": the unknown step says it better.
  skip: (issue, issues) => issue.code === 'custom' && isStepPath(issue.path) && issues.some((i) => i.code === 'unrecognized_keys' && JSON.stringify(i.path) === JSON.stringify(issue.path)),
  union: (keys) => (keys.at(-1) === 'tamper' ? `expected one of ${TAMPERS.join(', ')}, or a list of them` : 'invalid value'),
  notAMapping: 'a scenario file holds one mapping with name, players and steps',
}

/**
 * Parses and validates one scenario. The YAML document keeps each node's source range, so
 * every zod issue (and every cross-step check: unknown players, buys referred to before they
 * exist) is reported at the line and column of the value or key it is about.
 */
export function parseScenario(text: string, file: string): LoadResult {
  const parsed = parseYamlWith(scenarioSchema, text, file, scenarioWording)
  // Not YAML at all: nothing past the syntax error can be read.
  if (!parsed.ok && !parsed.readable) return parsed
  const locate = parsed.ok ? parsed.locate : parsed.readable!.locate
  const problems: ScenarioProblem[] = parsed.ok ? [] : [...parsed.problems]
  const report: Report = (keys, message, hint, target = 'value') => void problems.push({ file, ...locate(keys, target), message, ...(hint ? { hint } : {}) })
  const stepOf = (written: ParsedScenario['steps'][number], index: number): ScenarioStep => {
    const kind = Object.keys(written)[0] as StepKind
    return { kind, index, line: locate(['steps', index]).line, value: written[kind] } as ScenarioStep
  }
  const data = parsed.ok ? parsed.data : parsed.readable!.data
  const steps = data ? data.steps.map(stepOf) : []
  if (data) checkReferences(data.players, steps, report)
  else {
    // The schema refused something: the steps that are valid on their own are still checked
    // across steps, so one run of validate names every mistake, not the next stage's only.
    const readable = readableSteps(parsed.ok ? undefined : parsed.readable!.raw)
    if (readable) checkReferences(readable.players, readable.steps.map(({ written, index }) => stepOf(written, index)), report, readable.unreadBuyIds)
  }
  // A refused file always has problems; `!data` only narrows the type.
  if (problems.length > 0 || !data) return { ok: false, problems: sortProblems(problems) }
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

function isStepPath(keys: readonly PropertyKey[]): boolean {
  return keys.length === 2 && keys[0] === 'steps' && typeof keys[1] === 'number'
}

type ParsedScenario = z.output<typeof scenarioSchema>

/**
 * Of a scenario the schema refused: the players listed and the steps valid on their own (with
 * their place in the file), and the ids of buys too broken to check, which later steps may
 * still name. Undefined when the players list is not a list: nothing across steps can be said.
 */
function readableSteps(raw: unknown): { players: string[]; steps: { written: ParsedScenario['steps'][number]; index: number }[]; unreadBuyIds: Set<string> } | undefined {
  const scenario = (raw ?? {}) as { players?: unknown; steps?: unknown }
  if (!Array.isArray(scenario.players)) return undefined
  const players = scenario.players.filter((player): player is string => typeof player === 'string')
  const steps: { written: ParsedScenario['steps'][number]; index: number }[] = []
  const unreadBuyIds = new Set<string>()
  ;(Array.isArray(scenario.steps) ? (scenario.steps as unknown[]) : []).forEach((written, index) => {
    const step = stepSchema.safeParse(written)
    if (step.success) return void steps.push({ written: step.data, index })
    const buyId = (written as { buy?: { id?: unknown } } | null)?.buy?.id
    if (typeof buyId === 'string') unreadBuyIds.add(buyId)
  })
  return { players, steps, unreadBuyIds }
}

/**
 * Checks what a schema cannot: names a step refers to (players, buys) exist where it is
 * written. `unreadBuyIds`: buys whose own step was refused (reported there), not reported
 * again where later steps name them.
 */
function checkReferences(playerList: readonly string[], steps: ScenarioStep[], report: Report, unreadBuyIds: ReadonlySet<string> = new Set()): void {
  const players = new Set<string>()
  playerList.forEach((player, index) => {
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
    if (buys.includes(ref) || unreadBuyIds.has(ref)) return
    const later = steps.some((s) => s.kind === 'buy' && s.value.id === ref)
    const named = [...buys, ...unreadBuyIds]
    const hint = later ? 'it is defined by a later step: refer to a buy after it' : named.length ? didYouMean(ref, named, 'buys so far:') : 'give the buy an id first'
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
        for (const [, name, arg] of step.value.get.matchAll(URL_PLACEHOLDER)) {
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
            report(keys, `${describePath(keys)}: unknown placeholder {${name}}`, didYouMean(name!, URL_PLACEHOLDERS, 'placeholders are'))
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
