/**
 * `npm run bench [-- --quick] [--rounds 9] [--processes 3] [--stored-orders 100000] [--out .reports/bench.json]`:
 * what a purchase costs on this machine, and what users feel, each figure as the median of
 * rounds with its min and max. Prints a summary and writes the report with every round
 * (bench/report.ts), so `npm run bench:compare old.json new.json` can tell a change from noise.
 *
 * The method, so that two runs on the same idle machine agree:
 * - each configuration lives in processes of its own (bench/worker.ts; three per purchase
 *   configuration, taking its slices in turn, as a process keeps an offset of its own for
 *   the run), set up once and warmed up in turn until the CPU an operation costs stops
 *   falling (warmUpInTurn: 11-28 s of its own each here; a fixed short warm-up left later
 *   rounds faster);
 * - configurations are measured in rounds after a settling round not counted, and within a
 *   round in short slices interleaved (sliceOrder; each slice after a few unmeasured
 *   operations that also reopen keep-alive connections), so every ratio divides figures taken over the same
 *   seconds: this machine's speed drifts by ±20% over tens of seconds, and a worker's heap
 *   fills and is collected, whatever the bench does;
 * - the bare HTTP baseline uses the purchase path's own HTTP client (the simulator's postText:
 *   node:http on keep-alive connections, which the bench player's order request uses too) and
 *   the output says so, with the connections each opened;
 * - the machine's load average and the CPU other processes used are recorded per round.
 *
 * What it measures: full headless purchases (order signed by the sample game server over
 * HTTP, wx.requestMidasPaymentGameItem by a headless player over its WebSocket, the sheet
 * confirmed by the sheet policy, the delivery notification acknowledged by the game server)
 * with 1 and 16 players, with 0 and with 100,000 orders stored, and where their time goes
 * hop by hop; bare HTTP; cold start of `superapp-sim start` (the simulator alone) and its
 * memory, with an empty data folder and with the stored orders; the shipped QA scenarios per
 * second; the sample game's frame rate in headless Chromium (bench/fps.ts), and a place for
 * the mini game package build's.
 *
 * `--quick` (CI): every configuration once (a purchase configuration once in each of its two
 * processes), small counts, 2,000 stored orders, nothing built.
 */
import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, platform, tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { buildStale, isFresh, type ArtefactName } from '../scripts/artefacts.mjs'
import { measureGameFps, type GameFpsResult } from './fps'
import { measurePackageFps } from './fpsPackage'
import { cpuMsOf, residentMemoryMb, watchMachine, type RoundLoad } from './machine'
import {
  benchReportSchema,
  HOPS,
  METRICS,
  PROCESS_RUNS,
  PURCHASE_RUNS,
  RATIO_DIGITS,
  RATIOS,
  REPORT_VERSION,
  STABLE_WITHIN_PCT,
  type BenchReport,
  type FpsFigures,
  type MetricName,
  type ProcessRun,
  type RatioName,
  type RoundLoadRecord,
} from './report'
import { formatSpread, round, spreadOf, type Spread } from './stats'
import { measurementOf, type Measurement, type Slice } from './measurement'
import type { Window } from './worker'
import { seedStoredOrders, startWorker, warmUpInTurn, type BenchWorker, type Warmup, type WarmupPlan } from './workers'

const root = path.resolve(import.meta.dirname, '..')

/** What a run does: `--quick` or the full method. */
interface Settings {
  mode: 'full' | 'quick'
  rounds: number
  /**
   * Pairs of cold starts (empty, stored, alternated). A pair takes about a second, and one
   * start moves by ±15% on its own (process spawn, file cache), so three times the rounds.
   */
  coldStartRounds: number
  /** Slices per configuration and number of clients in a round, interleaved with the other configurations'. */
  slices: number
  /**
   * Processes per purchase configuration (bare, empty, stored), which take its slices in turn
   * (`slices` a multiple of it): a process keeps an offset of its own for the whole run.
   */
  processes: number
  /** A measured slice: at least this long, at least `minOps` operations per client. */
  window: Window
  /** Before each slice: this much of the same operation, not measured. */
  warmup: Window
  /** Rounds measured first and not counted (full mode: 1). */
  settlingRounds: number
  /** Each worker's warm-up before its first round (not in --quick). */
  steadyWarmup: WarmupPlan
  storedOrders: number
  fpsSeconds: number
  out: string
}

function settingsFrom(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      processes: { type: 'string' },
      'stored-orders': { type: 'string' },
      out: { type: 'string', default: path.join(root, '.reports/bench.json') },
    },
  })
  const quick = values.quick
  const count = (flag: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback
    const parsed = Number(value)
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${flag} must be an integer of at least ${min}, got "${value}"`)
    return parsed
  }
  // Nine short rounds rather than five long ones: a median of nine shrugs off a disturbed
  // round better. With seven (of 6 slices), the 1-player stored ÷ empty ratio's median still
  // moved ±11.5% over three idle runs (0.96, 1.07, 0.96): likely each worker's own garbage
  // collections land in some slices and not others.
  const rounds = count('--rounds', values.rounds, quick ? 1 : 9, 1)
  // Three processes per configuration, three slices each (--quick: two, to run that path, one
  // slice each). With one process per configuration the CPU per purchase at 16 players, stored
  // ÷ empty, was 0.94, 1.12 and 1.0 in three idle runs, the second's stored process dearer in 7
  // of its 9 rounds (decision 011, item 12).
  const processes = count('--processes', values.processes, quick ? 2 : 3, 1)
  return {
    mode: quick ? 'quick' : 'full',
    rounds,
    coldStartRounds: quick ? 1 : 3 * rounds,
    slices: quick ? processes : 3 * processes,
    processes,
    settlingRounds: quick ? 0 : 1,
    window: quick ? { seconds: 0, minOps: 2 } : { seconds: 0.5, minOps: 2 },
    warmup: quick ? { seconds: 0, minOps: 1 } : { seconds: 0, minOps: 2 },
    steadyWarmup: { step: { seconds: 1, minOps: 5 }, patience: 4, maxSeconds: 60 },
    storedOrders: count('--stored-orders', values['stored-orders'] ?? process.env.BENCH_STORED_ORDERS, quick ? 2000 : 100_000, 1),
    fpsSeconds: quick ? 1 : 4,
    out: path.resolve(values.out),
  }
}

/** A window for `clients` at once: every client does at least `minOps` operations. */
const forClients = (window: Window, clients: number): Window => ({ seconds: window.seconds, minOps: window.minOps * clients })

/** Two things measured in turn (cold starts, frame rates): A B, then B A. */
const inRoundOrder = <T>(items: readonly T[], round: number): T[] => (round % 2 === 0 ? [...items] : [...items].reverse())

/**
 * The order of the `turn`-th slice of interleaved configurations: every rotation, then every
 * rotation reversed (A B C, B C A, C A B, C B A, B A C, A C B, and again). Over a cycle each
 * is in every place as often, and none follows itself: reversing alone (A B C, C B A, A B C)
 * left B always in the middle and never after itself, while A and C followed themselves.
 */
function sliceOrder<T>(items: readonly T[], turn: number): T[] {
  const n = items.length
  const k = turn % (2 * n)
  const rotated = (by: number) => [...items.slice(by), ...items.slice(0, by)]
  return k < n ? rotated(k) : rotated((n - (k - n)) % n).reverse()
}

const loads: RoundLoadRecord[] = []
const warmups: Record<string, Warmup> = {}
/** Warms workers up until steady, in turn (warmUpInTurn), and says how long each took. */
async function warmUp(workers: ReadonlyMap<string, BenchWorker>, settings: Settings): Promise<void> {
  // --quick keeps to the brief warm-up before each slice: its figures are not for reading.
  if (settings.mode === 'quick') return
  for (const [name, warmup] of await warmUpInTurn(workers, settings.steadyWarmup)) {
    warmups[name] = warmup
    console.log(
      `warmed up ${name}: ${warmup.seconds} s of its own, CPU per operation ${warmup.firstCpuMsPerOp} → ${warmup.bestCpuMsPerOp} ms${warmup.steady ? '' : ` (still falling after ${warmup.seconds} s: the first rounds may be slower)`}`,
    )
  }
}
/** Wall time of each phase, setting up included: where the bench's own time goes. */
const phaseSeconds: Record<string, number> = {}
async function timed<T>(phase: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  try {
    return await run()
  } finally {
    phaseSeconds[phase] = round((performance.now() - started) / 1000, 1)
  }
}
function recordLoad(phase: string, roundIndex: number, load: RoundLoad): RoundLoad {
  loads.push({ phase, round: roundIndex + 1, ...load })
  return load
}
const describeLoad = (load: RoundLoad) =>
  `load average ${load.loadavg1}${load.othersCpuCores === undefined ? '' : `, other processes used ${load.othersCpuCores} of ${cpus().length} cores`}`

interface PurchaseRound {
  bare1: Measurement
  bare16: Measurement
  fetch1: Measurement
  empty1: Measurement
  empty16: Measurement
  stored1: Measurement
  stored16: Measurement
}

/** The rate ratios of a round: the report's, and what each round's line prints. */
const rateRatios = {
  purchaseVsBareHttp1: (r: PurchaseRound) => r.empty1.perSecond / r.bare1.perSecond,
  purchaseVsBareHttp16: (r: PurchaseRound) => r.empty16.perSecond / r.bare16.perSecond,
  storedVsEmpty1: (r: PurchaseRound) => r.stored1.perSecond / r.empty1.perSecond,
  storedVsEmpty16: (r: PurchaseRound) => r.stored16.perSecond / r.empty16.perSecond,
} satisfies Partial<Record<RatioName, (r: PurchaseRound) => number>>
const rateRatioOf = (name: keyof typeof rateRatios, r: PurchaseRound) => round(rateRatios[name](r), RATIO_DIGITS)

async function purchasePhase(settings: Settings, work: string) {
  const storedDir = path.join(work, 'stored')
  // The cold starts open the folder as seeded: the purchases add orders to theirs, more on a faster machine.
  const coldStoredDir = path.join(work, 'cold-stored')
  const starting: Array<Promise<BenchWorker>> = []
  const started = (worker: Promise<BenchWorker>) => (starting.push(worker), worker)
  try {
    // Set up side by side (the setting up is not measured), then warmed up.
    const seeded = await seedStoredOrders(storedDir, settings.storedOrders)
    await cp(storedDir, coldStoredDir, { recursive: true })
    const storedDirs = [storedDir]
    for (let i = 1; i < settings.processes; i++) {
      storedDirs.push(path.join(work, `stored-${i + 1}`))
      await cp(storedDir, storedDirs[i]!, { recursive: true })
    }
    const processes = Array.from({ length: settings.processes }, (_, i) => i)
    // The fetch reference runs in a process of its own: run in a bare process, its garbage (fetch
    // holds each exchange until a full collection) fell on that process's next baseline slices.
    const [reference, bare, empty, stored] = await Promise.all([
      started(startWorker('bare')),
      Promise.all(processes.map(() => started(startWorker('bare')))),
      Promise.all(processes.map((i) => started(startWorker('purchase', ['--data-dir', path.join(work, `empty-${i + 1}`)])))),
      Promise.all(processes.map((i) => started(startWorker('purchase', ['--data-dir', storedDirs[i]!])))),
    ])
    const configurations = [[bare, 'bare'], [empty, 'empty'], [stored, 'stored']] as const
    // Warmed up on its own client, fetch.
    const fetchReference: BenchWorker = { ...reference, measure: (clients, window, warmup, client = 'fetch') => reference.measure(clients, window, warmup, client) }
    await warmUp(new Map([...processes.flatMap((i) => configurations.map(([group, name]) => [group.length > 1 ? `${name} ${i + 1}` : name, group[i]!] as const)), ['fetch reference', fetchReference] as const]), settings)
    const rounds: PurchaseRound[] = []
    // Each process's slices of the counted rounds: whether one keeps an offset of its own shows here.
    const slicesByProcess = Object.fromEntries(PROCESS_RUNS.map((run) => [run, processes.map((): Slice[] => [])])) as Record<ProcessRun, Slice[][]>
    let turn = 0
    // The settling round is not counted. When the workers were warmed up one after the other, the
    // first waited some 40 s meanwhile, and in the round after that its rate was half its usual
    // (858 then 1,423 then 1,672-1,730 requests/s) while V8 optimized its code again. They now warm
    // up in turn; the round stays, as cheap insurance (some 50 s).
    for (let r = -settings.settlingRounds; r < settings.rounds; r++) {
      const watch = watchMachine()
      const got: Partial<PurchaseRound> = {}
      // The figures a ratio divides are measured in short slices, interleaved: per number of
      // clients, each configuration in turn, slice after slice (sliceOrder). Whatever the
      // machine does meanwhile (its speed drifts by ±20% over tens of seconds here, and a
      // worker's heap fills and is collected) falls on all of them alike.
      for (const clients of [1, 16] as const) {
        const slices: Record<(typeof configurations)[number][1], Slice[]> = { bare: [], empty: [], stored: [] }
        for (let s = 0; s < settings.slices; s++) {
          for (const [group, name] of sliceOrder(configurations, turn++)) {
            // A configuration's processes take its slices in turn, so an offset one keeps for the run weighs a
            // third; shifted by one each round, so each takes every place in the order as often.
            const index = (s + r + settings.settlingRounds) % group.length
            const slice = await group[index]!.measure(clients, forClients(settings.window, clients), forClients(settings.warmup, clients))
            slices[name].push(slice)
            if (r >= 0) slicesByProcess[`${name}${clients}`][index]!.push(slice)
          }
        }
        for (const [, name] of configurations) got[`${name}${clients}`] = measurementOf(slices[name])
      }
      // Reference only, once a round, in one window as long as a configuration's slices
      // together, after a warm-up as long as one slice (this client runs nowhere else).
      got.fetch1 = measurementOf([await fetchReference.measure(1, { ...settings.window, seconds: settings.window.seconds * settings.slices }, settings.window)])
      const round_ = got as PurchaseRound
      if (r < 0) {
        console.log(`purchases, settling round ${r + settings.settlingRounds + 1}/${settings.settlingRounds} (not counted): purchase ÷ bare HTTP ${rateRatioOf('purchaseVsBareHttp1', round_)} (1), ${rateRatioOf('purchaseVsBareHttp16', round_)} (16)`)
        continue
      }
      rounds.push(round_)
      const load = recordLoad('purchases', r, watch.end())
      console.log(
        `purchases, round ${r + 1}/${settings.rounds}: ${describeLoad(load)}; purchase ÷ bare HTTP ${rateRatioOf('purchaseVsBareHttp1', round_)} (1), ${rateRatioOf('purchaseVsBareHttp16', round_)} (16); stored ÷ empty ${rateRatioOf('storedVsEmpty1', round_)} (1), ${rateRatioOf('storedVsEmpty16', round_)} (16)`,
      )
    }
    await Promise.all([reference, ...bare, ...empty, ...stored].map((worker) => worker.close()))
    const byProcess = Object.fromEntries(
      PROCESS_RUNS.map((run) => [
        run,
        slicesByProcess[run].map((slicesOfOne) => {
          const { cpuMsPerOp, perSecond } = measurementOf(slicesOfOne)
          return { cpuMsPerOp, perSecond }
        }),
      ]),
    ) as NonNullable<BenchReport['byProcess']>
    return { rounds, byProcess, coldStoredDir, seeded }
  } catch (error) {
    // Every worker that started, also those that got ready after the failure.
    for (const result of await Promise.allSettled(starting)) if (result.status === 'fulfilled') result.value.kill()
    throw error
  }
}

interface ColdStart {
  ms: number
  /** CPU the simulator process used until its first request was answered. */
  cpuMs: number
  rssMb: number
  peakRssMb: number
}

/**
 * The simulator as a user starts it (`superapp-sim start`, the simulator alone), from the
 * command to its first served request, and its memory then. It runs the server bundle when
 * that is fresh, else the sources through tsx (bin/superapp-sim.mjs decides, as for users).
 */
async function coldStart(dataDir: string): Promise<ColdStart> {
  const started = performance.now()
  // As a user's shell starts it: without the repository's source condition (npm run bench's tsx passes it on).
  const env = { ...process.env, NODE_OPTIONS: (process.env.NODE_OPTIONS ?? '').replace(/--conditions[= ]superapp-sim-source/g, '').trim() }
  const child = spawn(process.execPath, ['simulator/bin/superapp-sim.mjs', 'start', '--port', '0', '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      // A start that never gets ready must fail the bench, not hang it.
      const deadline = setTimeout(() => reject(new Error(`the simulator was not ready within 120 s: ${out}`)), 120_000)
      child.stdout!.on('data', (chunk) => {
        out += chunk
        const match = /Simulator APIs:\s+(\S+)/.exec(out)
        if (match) {
          clearTimeout(deadline)
          resolve(match[1]!)
        }
      })
      void exited.then(() => {
        clearTimeout(deadline)
        reject(new Error(`the simulator exited before it was ready: ${out}`))
      })
    })
    const response = await fetch(`${url}/host/api/config`)
    if (!response.ok) throw new Error(`first request failed: ${response.status}`)
    await response.arrayBuffer()
    const ms = performance.now() - started
    const memory = residentMemoryMb(child.pid!)
    return { ms: Math.round(ms), cpuMs: cpuMsOf(child.pid!) ?? 0, rssMb: memory?.rssMb ?? 0, peakRssMb: memory?.peakRssMb ?? 0 }
  } finally {
    // Stopped as a user stops it, so the data folder is left as it would be.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(forced)
  }
}

async function coldStartPhase(settings: Settings, emptyDir: string, storedDir: string) {
  const from = isFresh('simulator') && isFresh('game-sdk') ? 'bundle' : 'sources'
  // Warm-up: the first start also fills the file cache and, for the empty folder, creates it
  // (--quick has none: its one round then also measures the folder's creation).
  if (settings.mode === 'full') {
    await coldStart(emptyDir)
    await coldStart(storedDir)
  }
  const rounds: Array<{ empty: ColdStart; stored: ColdStart }> = []
  for (let r = 0; r < settings.coldStartRounds; r++) {
    const watch = watchMachine()
    const got: Partial<Record<'empty' | 'stored', ColdStart>> = {}
    for (const which of inRoundOrder(['empty', 'stored'] as const, r)) got[which] = await coldStart(which === 'empty' ? emptyDir : storedDir)
    const { empty, stored } = got as { empty: ColdStart; stored: ColdStart }
    rounds.push({ empty, stored })
    const load = recordLoad('cold start', r, watch.end())
    console.log(`cold start, round ${r + 1}/${settings.coldStartRounds}: ${describeLoad(load)}; empty ${empty.ms} ms (CPU ${empty.cpuMs} ms), ${empty.rssMb} MB; stored ${stored.ms} ms (CPU ${stored.cpuMs} ms), ${stored.rssMb} MB`)
  }
  return { from: from as 'bundle' | 'sources', rounds }
}

async function scenarioPhase(settings: Settings) {
  const worker = await startWorker('scenarios')
  try {
    await warmUp(new Map([['scenarios', worker]]), settings)
    const rounds: Measurement[] = []
    for (let r = 0; r < settings.rounds; r++) {
      const watch = watchMachine()
      // One run of every scenario per round, after a warm-up of one scenario (--quick: none).
      const measured = measurementOf([await worker.measure(4, { seconds: 0, minOps: 1 }, { seconds: 0, minOps: settings.mode === 'full' ? 1 : 0 })])
      rounds.push(measured)
      const load = recordLoad('scenarios', r, watch.end())
      console.log(`scenarios, round ${r + 1}/${settings.rounds}: ${describeLoad(load)}; ${measured.ops} in ${measured.seconds} s${measured.failed ? `, ${measured.failed} did not pass` : ''}`)
    }
    await worker.close()
    return rounds
  } catch (error) {
    worker.kill()
    throw error
  }
}

type NotMeasured = { notMeasured: string }

/**
 * The sample game's frame rate in headless Chromium at phone size, one browser per round:
 * the web build (its page in the host shell's frame) and the mini game package build (the
 * same source run by the host shell's runtime in a worker), alternated round by round
 * (web first, then package first) so the machine's load falls on both alike.
 */
async function gameFps(settings: Settings): Promise<BenchReport['fps']> {
  // --quick builds nothing: a stale build would measure yesterday's game.
  const stale = (builds: ArtefactName[]) => builds.filter((build) => !isFresh(build))
  const webStale = settings.mode === 'quick' ? stale(['game', 'host']) : []
  const packageStale = settings.mode === 'quick' ? stale(['minigame', 'host']) : []
  const notBuilt = (builds: string[]): NotMeasured => ({ notMeasured: `the ${builds.join(', ')} build missing or older than its sources, and --quick builds nothing: run npm run build first` })
  const measurers = {
    web: webStale.length ? undefined : (seconds: number) => measureGameFps({ seconds }),
    package: packageStale.length ? undefined : (seconds: number) => measurePackageFps({ seconds }),
  }
  const rounds: Record<keyof typeof measurers, GameFpsResult[]> = { web: [], package: [] }
  const failed: Partial<Record<keyof typeof measurers, string>> = {}
  for (let r = 0; r < settings.rounds; r++) {
    const order = (r % 2 === 0 ? ['web', 'package'] : ['package', 'web']) as Array<keyof typeof measurers>
    for (const build of order) {
      const measure = measurers[build]
      if (!measure || failed[build]) continue
      const watch = watchMachine()
      try {
        rounds[build].push(await measure(settings.fpsSeconds))
      } catch (error) {
        failed[build] = `no browser measurement: ${(error as Error).message.split('\n')[0]}`
        continue
      }
      const load = recordLoad(build === 'web' ? 'fps' : 'fps-package', r, watch.end())
      console.log(`game fps (${build} build), round ${r + 1}/${settings.rounds}: ${describeLoad(load)}; ${rounds[build].at(-1)!.fps} fps`)
    }
  }
  const figures = (build: keyof typeof measurers, staleBuilds: string[]): FpsFigures | NotMeasured => {
    if (staleBuilds.length) return notBuilt(staleBuilds)
    if (failed[build]) return { notMeasured: failed[build]! }
    const measured = rounds[build]
    const first = measured[0]!
    return {
      fps: spreadOf(measured.map((f) => f.fps), 1),
      p95FrameMs: spreadOf(measured.map((f) => f.p95FrameMs), 1),
      viewport: first.viewport,
      renderer: first.renderer,
      glRenderer: first.glRenderer,
      windowSeconds: settings.fpsSeconds,
    }
  }
  return { webBuild: figures('web', webStale), miniGamePackage: figures('package', packageStale) }
}

function summarize(settings: Settings, startedAt: Date, purchases: Awaited<ReturnType<typeof purchasePhase>>, cold: Awaited<ReturnType<typeof coldStartPhase>>, scenarioRounds: Measurement[], fps: BenchReport['fps']): BenchReport {
  const p = purchases.rounds
  const per = (pick: (r: PurchaseRound) => number) => p.map(pick)
  const ratioRounds: Record<RatioName, number[]> = {
    purchaseVsBareHttp1: per(rateRatios.purchaseVsBareHttp1),
    purchaseVsBareHttp16: per(rateRatios.purchaseVsBareHttp16),
    storedVsEmpty1: per(rateRatios.storedVsEmpty1),
    storedVsEmpty16: per(rateRatios.storedVsEmpty16),
    coldStartStoredVsEmpty: cold.rounds.map((r) => r.stored.ms / r.empty.ms),
    memoryStoredVsEmpty: cold.rounds.map((r) => r.stored.rssMb / r.empty.rssMb),
    cpuPurchaseVsBareHttp1: per((r) => r.empty1.cpuMsPerOp / r.bare1.cpuMsPerOp),
    cpuPurchaseVsBareHttp16: per((r) => r.empty16.cpuMsPerOp / r.bare16.cpuMsPerOp),
    cpuStoredVsEmpty1: per((r) => r.stored1.cpuMsPerOp / r.empty1.cpuMsPerOp),
    cpuStoredVsEmpty16: per((r) => r.stored16.cpuMsPerOp / r.empty16.cpuMsPerOp),
    cpuColdStartStoredVsEmpty: cold.rounds.map((r) => r.stored.cpuMs / r.empty.cpuMs),
  }
  const metricRounds: Record<MetricName, number[]> = {
    bareHttp1PerSecond: per((r) => r.bare1.perSecond),
    bareHttp16PerSecond: per((r) => r.bare16.perSecond),
    fetch1PerSecond: per((r) => r.fetch1.perSecond),
    purchaseEmpty1PerSecond: per((r) => r.empty1.perSecond),
    purchaseEmpty16PerSecond: per((r) => r.empty16.perSecond),
    purchaseStored1PerSecond: per((r) => r.stored1.perSecond),
    purchaseStored16PerSecond: per((r) => r.stored16.perSecond),
    purchaseEmpty1P99Ms: per((r) => r.empty1.p99Ms),
    purchaseEmpty16P99Ms: per((r) => r.empty16.p99Ms),
    purchaseStored1P99Ms: per((r) => r.stored1.p99Ms),
    purchaseStored16P99Ms: per((r) => r.stored16.p99Ms),
    bareHttp1CpuMs: per((r) => r.bare1.cpuMsPerOp),
    purchaseEmpty1CpuMs: per((r) => r.empty1.cpuMsPerOp),
    purchaseStored1CpuMs: per((r) => r.stored1.cpuMsPerOp),
    coldStartEmptyMs: cold.rounds.map((r) => r.empty.ms),
    coldStartStoredMs: cold.rounds.map((r) => r.stored.ms),
    coldStartEmptyCpuMs: cold.rounds.map((r) => r.empty.cpuMs),
    coldStartStoredCpuMs: cold.rounds.map((r) => r.stored.cpuMs),
    rssEmptyMb: cold.rounds.map((r) => r.empty.rssMb),
    rssStoredMb: cold.rounds.map((r) => r.stored.rssMb),
    peakRssStoredMb: cold.rounds.map((r) => r.stored.peakRssMb),
    scenariosPerSecond: scenarioRounds.map((r) => r.perSecond),
  }
  // Three decimals: at two, a ratio near 0.2 moved in steps of 5% (0.19, 0.2, 0.21), a quarter of the ±10% it is judged by.
  const ratios = Object.fromEntries(Object.entries(ratioRounds).map(([name, rounds]) => [name, spreadOf(rounds, RATIO_DIGITS)])) as Record<RatioName, Spread>
  const metrics = Object.fromEntries(Object.entries(metricRounds).map(([name, rounds]) => [name, spreadOf(rounds, name.endsWith('CpuMs') ? 3 : 1)])) as Record<MetricName, Spread>
  const hops = Object.fromEntries(
    PURCHASE_RUNS.map((run) => [run, Object.fromEntries(HOPS.map((hop) => [hop, spreadOf(p.map((r) => r[run].hops![hop]))]))]),
  ) as BenchReport['hops']
  const per100 = (windows: Measurement[]) => {
    const requests = windows.reduce((sum, w) => sum + w.httpRequests, 0)
    return requests ? round((100 * windows.reduce((sum, w) => sum + w.connectionsOpened, 0)) / requests) : 0
  }
  const othersCpu = loads.flatMap((l) => (l.othersCpuCores === undefined ? [] : [l.othersCpuCores]))
  return {
    version: REPORT_VERSION,
    mode: settings.mode,
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    phaseSeconds,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, platform: platform() },
    warmups,
    settings: {
      rounds: settings.rounds,
      coldStartRounds: settings.coldStartRounds,
      slices: settings.slices,
      processes: settings.processes,
      settlingRounds: settings.settlingRounds,
      warmupOps: settings.warmup.minOps,
      windowSeconds: settings.window.seconds,
      warmupSeconds: settings.warmup.seconds,
      storedOrders: settings.storedOrders,
      order: 'configurations interleaved in slices, per number of clients each in turn, every rotation then every rotation reversed (A B C, B C A, C A B, C B A, B A C, A C B)',
    },
    baseline: {
      client:
        "node:http with a keep-alive Agent (the simulator's postText, simulator/src/delivery/postText.ts) POSTing a small JSON body to an Express 5 app with express.json(), client and server in one process: the client and connection reuse of both HTTP hops of a purchase (the simulator's delivery notification; the bench player's order request to the game server, which uses the same client)",
      connectionsPer100Requests: {
        bareHttp: per100(p.flatMap((r) => [r.bare1, r.bare16])),
        purchases: per100(p.flatMap((r) => [r.empty1, r.empty16, r.stored1, r.stored16])),
      },
    },
    ratios,
    metrics,
    hops,
    byProcess: purchases.byProcess,
    coldStart: { from: cold.from, storedOrders: purchases.seeded, emptyDataFolder: 'a new data folder, seeded with the demo data at its first (warm-up) start' },
    scenarios: { count: scenarioRounds[0]?.ops ?? 0, failed: scenarioRounds.reduce((sum, r) => sum + (r.failed ?? 0), 0) },
    fps,
    load: { rounds: loads, loadavg1: spreadOf(loads.map((l) => l.loadavg1)), ...(othersCpu.length ? { othersCpuCores: spreadOf(othersCpu) } : {}) },
    unstable: Object.entries(ratios)
      .filter(([, spread]) => spread.spreadPct > STABLE_WITHIN_PCT)
      .map(([name]) => name),
  }
}

/** The labels say "stored orders"; the printout says how many. */
const withCount = (label: string, storedOrders: number) => label.replace(/(the )?stored orders/, `${storedOrders.toLocaleString('en')} stored orders`)

function print(report: BenchReport): void {
  const { settings, load } = report
  const stored = settings.storedOrders
  const pad = (text: string, width: number) => text.padEnd(width)
  console.log(`
superapp-pay-sim bench, ${report.mode}: ${settings.rounds} round${settings.rounds === 1 ? '' : 's'}, ${settings.order}; ${report.mode === 'full' ? `per configuration and number of clients, ${settings.slices ?? 1} slice(s) of ${settings.windowSeconds} s a round${(settings.processes ?? 1) > 1 ? ` taken in turn by its ${settings.processes} processes` : ''}, each after ${settings.warmupOps ?? 0} unmeasured operations per client; ${settings.settlingRounds ?? 0} settling round(s) not counted` : 'a few operations per slice, each after a warm-up of one'}
machine: ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; load average during the rounds ${formatSpread(load.loadavg1)}${load.othersCpuCores ? `; other processes used ${formatSpread(load.othersCpuCores, ` of ${report.machine.cores} cores`)}` : ''}
bare HTTP baseline: ${report.baseline.client}.
  TCP connections opened per 100 HTTP requests: bare ${report.baseline.connectionsPer100Requests.bareHttp}, purchases ${report.baseline.connectionsPer100Requests.purchases}

ratios: median of ${settings.rounds} rounds, cold starts of ${settings.coldStartRounds ?? settings.rounds} (min–max, ±spread)`)
  for (const [name, label] of Object.entries(RATIOS)) {
    const spread = report.ratios[name as RatioName]
    const flag = spread.spreadPct > STABLE_WITHIN_PCT ? `   unstable: over ±${STABLE_WITHIN_PCT}%` : ''
    console.log(`  ${pad(withCount(label, stored), 100)} ${formatSpread(spread)}${flag}`)
  }
  console.log('\nfigures: median (min–max, ±spread)')
  for (const [name, { label, unit }] of Object.entries(METRICS)) console.log(`  ${pad(withCount(label, stored), 100)} ${formatSpread(report.metrics[name as MetricName], unit)}`)

  console.log(`\nwhere a purchase's time goes: median ms per hop, ±spread of the rounds' medians (at 16 players mostly waiting in line)`)
  const hopLabels: Record<(typeof HOPS)[number], string> = {
    sign: 'game server signs the order (HTTP)',
    openSheet: 'host opens the sheet (WebSocket call, checks, order written)',
    confirm: 'sheet confirmed: paid, notification written',
    deliveryAcknowledged: 'delivery acknowledged by the game server, attempt recorded',
    total: 'total, until the player is told and the delivery acknowledged',
    resultToPlayer: '  in parallel: payment to the result at the player',
    deliveryHttp: '  of the delivery: its HTTP round trip (whole ms)',
  }
  const runLabels: Record<(typeof PURCHASE_RUNS)[number], string> = { empty1: '0 stored, 1', empty16: '0 stored, 16', stored1: `${stored.toLocaleString('en')}, 1`, stored16: `${stored.toLocaleString('en')}, 16` }
  console.log(`  ${pad('', 64)}${PURCHASE_RUNS.map((run) => pad(runLabels[run], 20)).join('')}`)
  const cell = (spread: Spread) => (spread.rounds.length > 1 ? `${spread.median} ±${Math.round(spread.spreadPct)}%` : `${spread.median}`)
  for (const hop of HOPS) console.log(`  ${pad(hopLabels[hop], 64)}${PURCHASE_RUNS.map((run) => pad(cell(report.hops[run][hop]), 20)).join('')}`)

  if (report.byProcess && report.mode === 'full') {
    const processLabels: Record<ProcessRun, string> = { bare1: 'bare HTTP, 1', bare16: 'bare HTTP, 16', ...runLabels }
    console.log(`\nby process: CPU ms per operation over its own slices of the counted rounds (an offset a process keeps for its life shows here)`)
    for (const run of PROCESS_RUNS) console.log(`  ${pad(processLabels[run], 24)}${report.byProcess[run].map((p) => p.cpuMsPerOp).join(' / ')}`)
  }

  console.log(`\ncold start ran the ${report.coldStart.from === 'bundle' ? 'simulator package build (simulator/dist)' : 'TypeScript sources through tsx (the server bundle is stale: npm run build)'}; stored data folder: ${report.coldStart.storedOrders.orders.toLocaleString('en')} orders, ${(report.coldStart.storedOrders.bytes / 2 ** 20).toFixed(1)} MB on disk`)
  console.log(`scenarios: ${report.scenarios.count} shipped scenarios per round${report.scenarios.failed ? `; ${report.scenarios.failed} runs did not pass: the rate is not trustworthy` : ', all passed'}`)
  const fpsLine = (name: string, fps: BenchReport['fps']['webBuild']) =>
    'notMeasured' in fps
      ? `${name}: ${fps.notMeasured}`
      : `${name}: ${formatSpread(fps.fps, ' fps')}, p95 frame ${formatSpread(fps.p95FrameMs, ' ms')} (${fps.viewport.width}x${fps.viewport.height} @${fps.viewport.deviceScaleFactor}, ${fps.renderer}, ${fps.glRenderer})`
  console.log(fpsLine('sample game, web build, headless Chromium', report.fps.webBuild))
  console.log(fpsLine('sample game, mini game package build', report.fps.miniGamePackage))
  console.log(`bench time: ${report.durationSeconds} s (${Object.entries(report.phaseSeconds).map(([phase, seconds]) => `${phase} ${seconds} s`).join(', ')})`)

  if (report.unstable.length > 0) {
    console.log(`\nunstable (a round further than ±${STABLE_WITHIN_PCT}% from the median): ${report.unstable.join(', ')}`)
    const phaseOf = (name: string) => (/coldStart|memory/i.test(name) ? 'cold start' : 'purchases')
    for (const name of report.unstable) {
      const rounds = report.ratios[name as RatioName].rounds
      const roundLoads = load.rounds.filter((l) => l.phase === phaseOf(name))
      console.log(`  ${name}: ${rounds.map((value, i) => `${value} (load ${roundLoads[i]?.loadavg1}${roundLoads[i]?.othersCpuCores === undefined ? '' : `, others ${roundLoads[i]!.othersCpuCores} cores`})`).join(', ')}`)
    }
  }
}

const settings = settingsFrom(process.argv.slice(2))
const startedAt = new Date()
const work = await mkdtemp(path.join(tmpdir(), 'sim-bench-'))
try {
  console.log(`bench (${settings.mode}): ${settings.rounds} rounds, ${settings.storedOrders.toLocaleString('en')} stored orders; setting up…`)
  const purchases = await timed('purchases', () => purchasePhase(settings, work))
  if (settings.mode === 'full') await buildStale(['game-sdk', 'simulator'], { log: (message) => console.log(message) })
  const cold = await timed('coldStart', () => coldStartPhase(settings, path.join(work, 'cold-empty'), purchases.coldStoredDir))
  const scenarioRounds = await timed('scenarios', () => scenarioPhase(settings))
  // The frame rates last, alone on the machine: the other phases are over.
  const fps = await timed('fps', () => gameFps(settings))
  const report = benchReportSchema.parse(summarize(settings, startedAt, purchases, cold, scenarioRounds, fps))
  print(report)
  await mkdir(path.dirname(settings.out), { recursive: true })
  await writeFile(settings.out, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`\nreport with every round: ${path.relative(process.cwd(), settings.out) || settings.out} (compare two: npm run bench:compare old.json new.json)`)
} finally {
  await rm(work, { recursive: true, force: true })
}
