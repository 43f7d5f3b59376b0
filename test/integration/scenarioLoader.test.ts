import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SimulatorError } from '../../simulator/src/errors'
import { loadFixtureFile } from '../../simulator/src/fixtures/fixtureFile'
import { closestName, editDistance } from '../../simulator/src/scenarios/hints'
import { formatProblem, loadScenarios, parseScenario, type ScenarioProblem } from '../../simulator/src/scenarios/loader'
import { formatDuration, parseDuration } from '../../simulator/src/scenarios/schema'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../..')
const fixtures = path.join(here, 'scenario-fixtures')

function problemsOf(text: string, file = 'test.yaml'): ScenarioProblem[] {
  const result = parseScenario(text, file)
  if (result.ok) throw new Error('expected the scenario to be refused')
  return result.problems
}

const header = 'name: n\nplayers: [player-1, player-2]\nsteps:\n  - login: player-1\n'

describe('the scenario loader', () => {
  it('reads a valid YAML scenario into typed steps with their lines, durations in ms and defaults applied', () => {
    const result = parseScenario(
      `${header}  - buy: { id: a, player: player-1, product: gem_pack_small, delay: 1m30s, wait: false }\n  - advanceClock: 90s\n  - expectResult: { buy: a, errCode: 0 }\n`,
      'ok.yaml',
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.scenario).toMatchObject({ name: 'n', game: 'mg5a3f9c2e71d04b88', players: ['player-1', 'player-2'], line: 1 })
    expect(result.scenario.fixture).toBeUndefined()
    expect(result.scenario.steps.map((s) => [s.kind, s.line])).toEqual([
      ['login', 4],
      ['buy', 5],
      ['advanceClock', 6],
      ['expectResult', 7],
    ])
    expect(result.scenario.steps[1]!.value).toMatchObject({ delay: 90_000, wait: false })
    expect(result.scenario.steps[2]!.value).toBe(90_000)
  })

  it('reads JSON with the same loader, and names JSON lines too', () => {
    const json = `{
  "name": "json",
  "players": ["player-1"],
  "steps": [
    {"login": "player-1"},
    {"buy": {"player": "player-1", "product": "gem_pack_small", "quantity": "2"}}
  ]
}`
    expect(problemsOf(json, 'x.json').map(formatProblem)).toEqual(['x.json:6:77  step 2 (buy): quantity: expected number, received string'])
  })

  it('refuses an unknown step with its line and the closest step name', () => {
    const [problem] = problemsOf(`${header}  - expectDelivry: { buy: a }\n`)
    expect(problem).toMatchObject({ line: 5, col: 5, message: 'step 2: unknown step "expectDelivry"', hint: 'did you mean expectDelivery?' })
  })

  it('refuses a misspelt key once (not also as the missing one), pointing at the key', () => {
    const problems = problemsOf(`${header}  - buy: { player: player-1, prodcut: gem_pack_small }\n`)
    expect(problems.map(formatProblem)).toEqual(['test.yaml:5:30  step 2 (buy): unknown key "prodcut"  (did you mean product?)'])
  })

  it('lists the allowed keys when an unknown key is close to none of them', () => {
    const [problem] = problemsOf('name: n\nplayers: [player-1]\ncolour: blue\nsteps:\n  - login: player-1\n')
    expect(problem).toMatchObject({ line: 3, col: 1, message: 'unknown key "colour"' })
    expect(problem!.hint).toMatch(/^allowed keys: name, description, fixture, game, players/)
  })

  it('reports wrong types, bad enum values (with a hint) and missing fields at the right place', () => {
    const problems = problemsOf(
      `${header}  - buy: { player: player-1, product: gem_pack_small, outcome: cancle }\n  - expectOrder:\n      buy: a\n  - advanceClock: 5 minutes\n`,
    )
    expect(problems.map(formatProblem)).toEqual([
      'test.yaml:5:64  step 2 (buy): outcome: expected one of confirm, cancel, fail  (did you mean cancel?)',
      'test.yaml:7:7  step 3 (expectOrder): missing "status"',
      'test.yaml:8:19  step 4 (advanceClock): invalid duration "5 minutes": use e.g. 250ms, 15s, 4m, 1h, 1m30s, or a number of milliseconds',
    ])
  })

  it('refuses a step with no action or two actions', () => {
    const problems = problemsOf(`${header}  - {}\n  - login: player-1\n    advanceClock: 1s\n`)
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, expect.stringMatching(/^step 2: a step needs one action: login, buy, /)],
      [6, 'step 3: one action per step, found login and advanceClock: split them into separate steps'],
    ])
  })

  it('checks references across steps: players, earlier buys, logins before buying', () => {
    const problems = problemsOf(
      'name: n\nplayers: [player-1, player-2]\nsteps:\n' +
        '  - login: player-3\n' +
        '  - buy: { id: a, player: player-2, product: gem_pack_small }\n' +
        '  - expectOrder: { buy: b, status: paid }\n' +
        '  - login: player-1\n' +
        '  - buy: { id: b, player: player-1, product: gem_pack_small, reuseOutTradeNo: aa }\n' +
        '  - refund: { buy: b, by: player, amount: 3 }\n',
    )
    expect(problems.map((p) => `${p.line}:${p.col} ${p.message} (${p.hint ?? ''})`)).toEqual([
      '4:12 step 1 (login): player "player-3" is not in players (did you mean player-1?)',
      '5:27 step 2 (buy): player: player-2 buys before logging in (add "- login: player-2" before this step)',
      '6:25 step 3 (expectOrder): buy: no earlier buy with id "b" (it is defined by a later step: refer to a buy after it)',
      '8:79 step 5 (buy): reuseOutTradeNo: no earlier buy with id "aa" (did you mean a?)',
      "9:43 step 6 (refund): amount: a player's refund request is always the whole amount left (amount is for by: developer)",
    ])
  })

  it('refuses combinations that cannot run: wait false without an id, fail without errCode, a validation errCode for a failing sheet', () => {
    const problems = problemsOf(
      `${header}  - buy: { player: player-1, product: x, wait: false }\n  - buy: { player: player-1, product: x, outcome: fail }\n  - buy: { player: player-1, product: x, outcome: fail, errCode: -15001 }\n  - buy: { player: player-1, product: x, tamper: staleSessionKey }\n`,
    )
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, 'step 2 (buy): wait: a buy with wait: false needs an id'],
      [6, 'step 3 (buy): outcome fail needs errCode (the code the sheet fails with, e.g. -1 or -2)'],
      [7, 'step 4 (buy): errCode: a failing sheet ends with -1, -2, 1000, not -15001'],
      [8, 'step 5 (buy): tamper: staleSessionKey needs two logins of player-1 before this buy'],
    ])
  })

  it('finds the bad element of a list and hints at the closest value', () => {
    const [problem] = problemsOf(`${header}  - buy: { player: player-1, product: x, tamper: [badPaySig, badPaySg] }\n`)
    expect(problem).toMatchObject({ line: 5, message: expect.stringContaining('step 2 (buy): tamper[2]: expected one of badPaySig'), hint: 'did you mean badPaySig?' })
  })

  it('reports YAML syntax errors (and duplicate keys) with their line', () => {
    expect(problemsOf('name: n\nname: m\nplayers: [player-1]\nsteps: []\n')[0]).toMatchObject({ line: 2, message: expect.stringContaining('Map keys must be unique') })
    expect(problemsOf('name: n\nsteps:\n  - buy: {a: 1\n  - b\n')[0]).toMatchObject({ line: 4, message: expect.stringMatching(/^not valid YAML\/JSON: /) })
    expect(problemsOf('- just\n- a list\n')[0]).toMatchObject({ line: 1, message: 'a scenario file holds one mapping with name, players and steps' })
  })

  it('refuses a fixture name the simulator would refuse (the sandbox name rule: lower case)', () => {
    expect(problemsOf('name: n\nfixture: Demo\nplayers: [player-1]\nsteps:\n  - login: player-1\n').map(formatProblem)).toEqual([
      'test.yaml:2:10  fixture: fixture names are lower-case letters, digits, _ and - (at most 63), starting with a letter or digit',
    ])
    expect(parseScenario('name: n\nfixture: team_a-2\nplayers: [player-1]\nsteps:\n  - login: player-1\n', 'ok.yaml').ok).toBe(true)
  })

  it('refuses a timeout over 1h, which setTimeout would fire at once above 2^31-1 ms', () => {
    const limit = 'timeout: at most 1h of real time (a scenario moves its clock with advanceClock, it does not wait)'
    for (const timeout of ['2h', '1h1ms', String(2 ** 31)]) {
      expect(problemsOf(`name: n\ntimeout: ${timeout}\nplayers: [player-1]\nsteps:\n  - login: player-1\n`).map((p) => `${p.line}:${p.col} ${p.message}`), timeout).toEqual([`2:10 ${limit}`])
    }
    const ok = parseScenario('name: n\ntimeout: 1h\nplayers: [player-1]\nsteps:\n  - login: player-1\n', 'ok.yaml')
    expect(ok.ok && ok.scenario.timeoutMs).toBe(3_600_000)
  })

  it('checks the placeholders of an http step', () => {
    const problems = problemsOf(`${header}  - http: { get: "{sandbox}/x/{openid:player-2}/{outTradeNo:zz}/{gmae}" }\n`)
    expect(problems.map((p) => `${p.message} (${p.hint ?? ''})`)).toEqual([
      'step 2 (http): get: player-2 has no openid before logging in (add "- login: player-2" before this step)',
      'step 2 (http): get: no earlier buy with id "zz" (give the buy an id first)',
      'step 2 (http): get: unknown placeholder {gmae} (did you mean game?)',
    ])
  })

  it('refuses the typo fixtures, every problem of every file, before anything runs', async () => {
    const { scenarios, problems } = await loadScenarios([path.join(fixtures, 'typo.yaml'), path.join(fixtures, 'typo.json')])
    expect(scenarios).toEqual([])
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.col} ${p.hint ?? ''}`)).toEqual([
      'typo.yaml:5:40 did you mean product?',
      'typo.yaml:5:75 ',
      'typo.yaml:6:5 did you mean expectDelivery?',
      'typo.yaml:7:19 ',
      'typo.json:6:92 did you mean confirm?',
      // Found across steps although step 2 was refused: the third mistake used to show only after fixing the others.
      'typo.json:7:31 did you mean gems?',
    ])
  })

  it('names every mistake of every file at once, whatever stage finds it: a repeated key, a bad duration, an unlisted player (issue 18.10)', async () => {
    const files = [path.join(fixtures, 'three-stages.yaml'), path.join(fixtures, 'typo.yaml')]
    const { problems } = await loadScenarios(files)
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.col}`)).toEqual([
      'three-stages.yaml:3:1',
      'three-stages.yaml:7:19',
      'three-stages.yaml:8:31',
      'typo.yaml:5:40',
      'typo.yaml:5:75',
      'typo.yaml:6:5',
      'typo.yaml:7:19',
    ])
    expect(problems.slice(0, 3).map((p) => p.message)).toEqual([
      expect.stringContaining('Map keys must be unique'),
      'step 2 (advanceClock): invalid duration "5 minutes": use e.g. 250ms, 15s, 4m, 1h, 1m30s, or a number of milliseconds',
      'step 3 (buy): player: player "player-2" is not in players',
    ])
    // A later step naming a buy whose own step was refused is not reported a second time.
    expect(problemsOf(`${header}  - buy: { id: a, player: player-1, product: p, quantity: many }\n  - expectDelivery: { buy: a, granted: 1 }\n`).map((p) => p.line)).toEqual([5])
  })

  it('accepts every shipped scenario, found by folder', async () => {
    const { scenarios, problems } = await loadScenarios([path.join(repoRoot, 'simulator/scenarios')])
    expect(problems).toEqual([])
    expect(scenarios.length).toBeGreaterThanOrEqual(21)
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length)
  })

  it('says so when a path does not exist or a folder holds no scenario', async () => {
    const { problems } = await loadScenarios([path.join(fixtures, 'missing.yaml'), path.join(repoRoot, 'simulator/src/scenarios')])
    expect(problems.map((p) => p.message)).toEqual(['no such file or folder', 'no scenario files (.yaml, .yml, .json) in this folder'])
  })
})

describe('fixture files (the same YAML reader)', () => {
  it('places each problem at its line, with a "did you mean" for an unknown key', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fixture-'))
    try {
      const file = path.join(dir, 'team.yaml')
      await writeFile(file, 'extends: demo\npalyers:\n  - id: qa-1\ngames:\n  - appId: mg00000000000000bb\n    name: B\n    payment: aproved\n')
      const error = await loadFixtureFile(file).then(() => undefined, (e: SimulatorError) => e)
      expect(error?.code).toBe('VALIDATION_FAILED')
      expect(error?.message.split('\n')).toEqual([
        `${file}:2:1  unknown key "palyers"  (did you mean players?)`,
        `${file}:7:14  expected one of none, pending, approved, rejected (games.0.payment)  (did you mean approved?)`,
      ])
      await writeFile(file, 'extends: demo\nplayers: [\n')
      expect((await loadFixtureFile(file).catch((e: Error) => e)) as Error).toMatchObject({ message: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1  not valid YAML/JSON: `)) })
      await writeFile(file, '')
      expect(await loadFixtureFile(file)).toMatchObject({ name: 'team', document: { extends: 'demo' } })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('durations', () => {
  it('parses units in descending order only, and numbers as milliseconds', () => {
    expect(parseDuration('15s')).toBe(15_000)
    expect(parseDuration('4m')).toBe(240_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('1m30s')).toBe(90_000)
    expect(parseDuration('250ms')).toBe(250)
    for (const bad of ['', '5', '5 m', '30s1m', '1m1m', '1.5s', '-1s', '1d']) expect(parseDuration(bad), bad).toBeUndefined()
    expect(formatDuration(90_500)).toBe('1m30s500ms')
  })
})

describe('hints', () => {
  it('offers the closest name only when it is close', () => {
    expect(editDistance('expcet', 'expect')).toBe(1)
    expect(closestName('expectDelivry', ['expectDelivery', 'expectOrder'])).toBe('expectDelivery')
    expect(closestName('EXPECTORDER', ['expectDelivery', 'expectOrder'])).toBe('expectOrder')
    expect(closestName('banana', ['login', 'buy'])).toBeUndefined()
  })
})
