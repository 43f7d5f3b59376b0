/**
 * `superapp-sim scenario run|validate`: runs scenario files against a simulator (its own,
 * in memory, unless --simulator names one) and reports progress, a summary table and
 * optionally JUnit XML. Arguments are parsed with node:util parseArgs, strict.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { SANDBOX_NAME, SANDBOX_NAME_RULE } from '../sandbox/names'
import { toJUnitXml } from './junit'
import { mergeJUnitReports } from './junitMerge'
import { loadScenarios } from './loader'
import { createProgressReporter, formatProblems, formatSummaryTable, type ReportStream } from './reporters'
import { runScenarios } from './runner'
import { SandboxControl } from './sandboxControl'

export const SCENARIO_USAGE = `superapp-sim scenario run <files|folders...> [options]
superapp-sim scenario validate <files|folders...>
superapp-sim scenario merge-junit --out <file> <junit files...>

Runs QA scenario files (YAML or JSON, one scenario each; folders are searched for .yaml,
.yml and .json). Every file is validated before anything runs: a typo, an unknown step or a
wrong type is reported as file:line:col with a hint. Each scenario runs in a sandbox of its
own with a frozen clock, its own game server and headless players, so they run in parallel.

  --simulator <url>    a running simulator, e.g. http://127.0.0.1:7070
                       (default: start one in this process, in memory, for this run)
  --junit <file>       also write a JUnit XML report there
  --shard <i>/<n>      run only the i-th of n equal parts (1-based), for CI machines in
                       parallel: scenarios are sorted by file path and dealt out in turn,
                       so every shard of the same files gets the same part
  --concurrency <n>    scenarios at once (default 4)
  --fixture <name>     fixture of scenarios that name none (default demo)
  -h, --help           this help

validate checks the files and runs nothing. merge-junit joins the JUnit reports of the
shards into one (every testsuite, counts summed).

Exit codes: 0 all passed (or valid), 1 a scenario failed, 2 bad usage or invalid files.
The scenario format is described in simulator/src/scenarios/schema.ts (and the QA guide).
`

export interface CommandIo {
  stdout: ReportStream
  stderr: ReportStream
  /** Paths in reports are relative to it. Default process.cwd(). */
  cwd?: string
}

const defaultIo: CommandIo = { stdout: process.stdout, stderr: process.stderr }

/**
 * The `scenario` command. Resolves with the exit code.
 *
 * @example
 * process.exitCode = await scenarioCommand(['run', 'simulator/scenarios', '--junit', 'report.xml'])
 */
export async function scenarioCommand(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(SCENARIO_USAGE)
    return sub === undefined ? 2 : 0
  }
  if (sub === 'merge-junit') return mergeJUnitCommand(rest, io)
  if (sub !== 'run' && sub !== 'validate') {
    io.stderr.write(`unknown scenario command "${sub}": use run, validate or merge-junit\n\n${SCENARIO_USAGE}`)
    return 2
  }
  let parsed
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        simulator: { type: 'string' },
        junit: { type: 'string' },
        concurrency: { type: 'string' },
        fixture: { type: 'string' },
        shard: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${SCENARIO_USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout.write(SCENARIO_USAGE)
    return 0
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency)
  const shard = values.shard === undefined ? undefined : parseShard(values.shard)
  const problems = [
    positionals.length === 0 ? 'give at least one scenario file or folder' : '',
    !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64 ? '--concurrency must be an integer from 1 to 64' : '',
    values.simulator !== undefined && !/^https?:\/\//.test(values.simulator) ? '--simulator must be an http(s) URL such as http://127.0.0.1:7070' : '',
    values.fixture !== undefined && !SANDBOX_NAME.test(values.fixture) ? `--fixture must be a fixture name: ${SANDBOX_NAME_RULE}` : '',
    shard === null ? `--shard must be i/n with 1 <= i <= n, e.g. --shard 2/4; got "${values.shard}"` : '',
    sub === 'validate' && (values.simulator || values.junit || values.concurrency || values.fixture || values.shard) ? 'validate takes files only' : '',
  ].filter(Boolean)
  if (problems.length > 0) {
    io.stderr.write(`${problems.join('\n')}\n\n${SCENARIO_USAGE}`)
    return 2
  }

  const cwd = io.cwd ?? process.cwd()
  const { scenarios: all, problems: invalid } = await loadScenarios(positionals.map((p) => path.resolve(cwd, p)))
  if (invalid.length > 0) {
    io.stderr.write(formatProblems(invalid.map((p) => ({ ...p, file: path.relative(cwd, p.file) || p.file }))))
    return 2
  }
  if (sub === 'validate') {
    io.stdout.write(`${all.length} scenario file${all.length === 1 ? '' : 's'} valid.\n`)
    return 0
  }
  const scenarios = shard ? shardOf(all, shard) : all
  if (shard && scenarios.length === 0) {
    // More machines than scenarios: this one has nothing to do, which is not a failure.
    io.stdout.write(`shard ${shard.index}/${shard.count}: no scenarios (${all.length} in all)\n`)
  }

  let simulatorUrl = values.simulator?.replace(/\/+$/, '')
  let close: (() => Promise<void>) | undefined
  if (simulatorUrl) {
    try {
      await new SandboxControl(simulatorUrl).sandboxes()
    } catch (error) {
      io.stderr.write(`cannot reach the simulator's test-control API at ${simulatorUrl}/_sim/ (is it running, superapp-sim start, and on this machine?): ${(error as Error).message}\n`)
      return 2
    }
  } else {
    const { startSimulator } = await import('../app')
    const sim = await startSimulator({ port: 0, memory: true, log: () => {} })
    simulatorUrl = sim.url
    close = () => sim.close()
  }

  try {
    const part = shard ? ` (shard ${shard.index}/${shard.count} of ${all.length})` : ''
    io.stdout.write(`Running ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}${part} against ${simulatorUrl}${close ? ' (in-process, in memory)' : ''}, ${Math.min(concurrency, scenarios.length)} at a time\n`)
    const progress = createProgressReporter(io.stdout, scenarios.length, cwd)
    const summary = await runScenarios(scenarios, {
      simulatorUrl,
      concurrency,
      ...(values.fixture ? { defaultFixture: values.fixture } : {}),
      onScenarioStart: progress.start,
      onScenarioEnd: progress.end,
    })
    io.stdout.write(`\n${formatSummaryTable(summary, cwd)}\n`)
    if (values.junit) {
      const file = path.resolve(cwd, values.junit)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, toJUnitXml(summary, { baseDir: cwd, ...(shard ? { suiteName: `superapp-sim scenarios, shard ${shard.index}/${shard.count}` } : {}) }))
      io.stdout.write(`JUnit report: ${path.relative(cwd, file) || file}\n`)
    }
    return summary.failed + summary.errors === 0 ? 0 : 1
  } finally {
    await close?.()
  }
}

export interface Shard {
  /** 1-based. */
  index: number
  count: number
}

/** `i/n` as a shard, or null when it is not one. */
export function parseShard(text: string): Shard | null {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (!match) return null
  const index = Number(match[1])
  const count = Number(match[2])
  return index >= 1 && count >= 1 && index <= count && count <= 1000 ? { index, count } : null
}

/**
 * The scenarios of one shard: sorted by file path, then dealt out in turn (the first to
 * shard 1, the second to shard 2, …), so the shards are disjoint, cover every scenario, and
 * differ in size by at most one, whatever order the files were found in.
 */
export function shardOf<T extends { file: string }>(scenarios: readonly T[], shard: Shard): T[] {
  return [...scenarios].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).filter((_, i) => i % shard.count === shard.index - 1)
}

/** `scenario merge-junit --out <file> <files...>`. */
async function mergeJUnitCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { out: { type: 'string' }, name: { type: 'string' } } })
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${SCENARIO_USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (!values.out || positionals.length === 0) {
    io.stderr.write(`merge-junit needs --out <file> and at least one JUnit file\n\n${SCENARIO_USAGE}`)
    return 2
  }
  const cwd = io.cwd ?? process.cwd()
  let merged: string
  try {
    const reports = await Promise.all(positionals.map(async (file) => ({ file, text: await readFile(path.resolve(cwd, file), 'utf8') })))
    merged = mergeJUnitReports(reports, values.name ? { name: values.name } : {})
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`)
    return 2
  }
  const out = path.resolve(cwd, values.out)
  await mkdir(path.dirname(out), { recursive: true })
  await writeFile(out, merged)
  const counts = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(merged)!
  io.stdout.write(`merged ${positionals.length} report${positionals.length === 1 ? '' : 's'} into ${path.relative(cwd, out) || out}: ${counts[1]} tests, ${counts[2]} failures, ${counts[3]} errors\n`)
  return 0
}
