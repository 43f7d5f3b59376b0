import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareReports, readReport, runToRun, settingsDifferences } from '../../bench/compare'
import { measurementOf, type Slice } from '../../bench/measurement'
import type { BenchReport } from '../../bench/report'

const root = path.resolve(import.meta.dirname, '../..')

/** Runs a bench script as CI runs it, in a process of its own; resolves with its exit code and output. */
function runScript(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // The simulator's cold start from its sources: test/packages packs (and so rebuilds)
    // simulator/dist while this runs, so the built files may be half written.
    const env = { ...process.env, SUPERAPP_SIM_FROM_SOURCES: '1' }
    const child = spawn(process.execPath, ['--conditions=superapp-sim-source', '--import', 'tsx', script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('error', reject)
    child.once('exit', (code) => resolve({ code, output }))
  })
}

// What the report must hold, written out here independently of bench/report.ts.
const RATIO_NAMES = [
  'purchaseVsBareHttp1',
  'purchaseVsBareHttp16',
  'storedVsEmpty1',
  'storedVsEmpty16',
  'coldStartStoredVsEmpty',
  'memoryStoredVsEmpty',
  'cpuPurchaseVsBareHttp1',
  'cpuPurchaseVsBareHttp16',
  'cpuStoredVsEmpty1',
  'cpuStoredVsEmpty16',
  'cpuColdStartStoredVsEmpty',
]
const RATE_NAMES = [
  'bareHttp1PerSecond',
  'bareHttp16PerSecond',
  'fetch1PerSecond',
  'purchaseEmpty1PerSecond',
  'purchaseEmpty16PerSecond',
  'purchaseStored1PerSecond',
  'purchaseStored16PerSecond',
  'scenariosPerSecond',
]
const OTHER_FIGURES = [
  'purchaseEmpty1P99Ms',
  'purchaseEmpty16P99Ms',
  'purchaseStored1P99Ms',
  'purchaseStored16P99Ms',
  'bareHttp1CpuMs',
  'purchaseEmpty1CpuMs',
  'purchaseStored1CpuMs',
  'coldStartEmptyMs',
  'coldStartStoredMs',
  'coldStartEmptyCpuMs',
  'coldStartStoredCpuMs',
  'rssEmptyMb',
  'rssStoredMb',
  'peakRssStoredMb',
]
const HOP_NAMES = ['sign', 'openSheet', 'confirm', 'deliveryAcknowledged', 'total', 'resultToPlayer', 'deliveryHttp']

/**
 * `npm run bench -- --quick` is what CI runs: every configuration once (a purchase
 * configuration once in each of its two processes), small counts. This
 * checks that its report has every field; what the times are is the bench's business, so
 * nothing here depends on the machine's speed (hence the long limit).
 */
describe('npm run bench -- --quick', () => {
  let dir: string
  let report: BenchReport
  let output: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bench-test-'))
    const run = await runScript('bench/run.ts', ['--quick', '--out', path.join(dir, 'bench.json')])
    output = run.output
    expect(run.code, output).toBe(0)
    report = JSON.parse(await readFile(path.join(dir, 'bench.json'), 'utf8'))
  }, 600_000)

  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('keeps every ratio with its one round, median, min and max', () => {
    expect(report.mode).toBe('quick')
    expect(report.settings.rounds).toBe(1)
    // Two processes per purchase configuration, so CI goes through the path that hands slices to several.
    expect(report.settings.processes).toBe(2)
    expect(report.settings.slices).toBe(2)
    // Each process's own figures: one slice each (processes take the slices in turn), so every one measured something.
    expect(Object.keys(report.byProcess ?? {}).sort()).toEqual(['bare1', 'bare16', 'empty1', 'empty16', 'stored1', 'stored16'])
    for (const [run, processes] of Object.entries(report.byProcess ?? {})) {
      expect(processes, run).toHaveLength(2)
      for (const p of processes) expect(p.cpuMsPerOp * p.perSecond, run).toBeGreaterThan(0)
    }
    expect(Object.keys(report.ratios).sort()).toEqual([...RATIO_NAMES].sort())
    for (const name of RATIO_NAMES) {
      const ratio = report.ratios[name as keyof BenchReport['ratios']]
      expect(ratio.rounds, name).toHaveLength(1)
      expect(ratio.rounds[0], name).toBeGreaterThan(0)
      expect([ratio.min, ratio.max], name).toEqual([ratio.median, ratio.median])
    }
  })

  it('measures every rate and figure, and every hop of a purchase at 0 and stored orders, 1 and 16 players', () => {
    expect(Object.keys(report.metrics).sort()).toEqual([...RATE_NAMES, ...OTHER_FIGURES].sort())
    for (const name of [...RATE_NAMES, ...OTHER_FIGURES]) {
      const figure = report.metrics[name as keyof BenchReport['metrics']]
      expect(figure?.rounds, name).toHaveLength(1)
      expect(figure.median, name).toBeGreaterThan(0)
    }
    expect(Object.keys(report.hops).sort()).toEqual(['empty1', 'empty16', 'stored1', 'stored16'])
    for (const [run, hops] of Object.entries(report.hops)) {
      expect(Object.keys(hops).sort(), run).toEqual([...HOP_NAMES].sort())
      // The hops happen one after the other, so none is longer than the whole purchase.
      for (const hop of ['sign', 'openSheet', 'confirm', 'deliveryAcknowledged'] as const) expect(hops[hop].median, `${run} ${hop}`).toBeLessThanOrEqual(hops.total.median)
    }
  })

  it('sizes the stored data folder by what it holds: every file, the snapshot with the orders included', () => {
    const { orders, bytes } = report.coldStart.storedOrders
    expect(orders).toBeGreaterThanOrEqual(report.settings.storedOrders)
    // A stored order is some 700 bytes of JSON; counting state.json and the journal alone gave 11,582 bytes for 107,462 orders.
    expect(bytes / orders).toBeGreaterThan(200)
  })

  it('says how the bare baseline is made, and counts the connections of both', () => {
    expect(report.baseline.client).toMatch(/^node:http with a keep-alive Agent \(the simulator.s postText/)
    expect(output).toContain('bare HTTP baseline: node:http with a keep-alive Agent')
    expect(report.baseline.connectionsPer100Requests.bareHttp).toBeGreaterThanOrEqual(0)
    expect(report.baseline.connectionsPer100Requests.purchases).toBeGreaterThanOrEqual(0)
  })

  it('records the load of every round, the scenarios run, and the frame rates or why not', () => {
    const measured = (figures: BenchReport['fps']['webBuild']) => 'fps' in figures
    expect(new Set(report.load.rounds.map((l) => l.phase))).toEqual(
      new Set(['purchases', 'cold start', 'scenarios', ...(measured(report.fps.webBuild) ? ['fps'] : []), ...(measured(report.fps.miniGamePackage) ? ['fps-package'] : [])]),
    )
    expect(report.load.loadavg1.rounds.length).toBe(report.load.rounds.length)
    expect(report.scenarios.count).toBeGreaterThan(0)
    // Both builds: a frame rate, or the reason there is none (a stale build under --quick, no browser).
    for (const [build, figures] of [['web build', report.fps.webBuild], ['mini game package build', report.fps.miniGamePackage]] as const) {
      if ('notMeasured' in figures) {
        expect(figures.notMeasured, build).not.toBe('')
        expect(output).toContain(figures.notMeasured)
      } else {
        expect(figures.fps.median, build).toBeGreaterThan(0)
        expect(figures.fps.rounds, build).toHaveLength(1)
      }
    }
  })

  it('bench:compare finds no change between a report and itself, and a change outside both spreads', async () => {
    expect(compareReports(report, report).filter((c) => c.changePct !== 0 || c.outsideBothSpreads)).toEqual([])

    const rounds = (min: number, median: number, max: number) => ({ median, min, max, spreadPct: 5, rounds: [min, median, max] })
    const before = structuredClone(report)
    const after = structuredClone(report)
    before.ratios.storedVsEmpty16 = rounds(0.95, 1, 1.05)
    after.ratios.storedVsEmpty16 = rounds(1.4, 1.5, 1.6)
    // Moved by 4%, but the new median is inside the old spread: noise.
    before.ratios.storedVsEmpty1 = rounds(0.95, 1, 1.05)
    after.ratios.storedVsEmpty1 = rounds(0.99, 1.04, 1.09)
    before.metrics.coldStartStoredMs = rounds(950, 1000, 1050)
    after.metrics.coldStartStoredMs = rounds(1900, 2000, 2100)
    const changes = new Map(compareReports(before, after).map((c) => [c.name, c]))
    expect(changes.get('storedVsEmpty16')).toMatchObject({ changePct: 50, outsideBothSpreads: true })
    expect(changes.get('storedVsEmpty1')).toMatchObject({ changePct: 4, outsideBothSpreads: false })
    expect(changes.get('coldStartStoredMs')).toMatchObject({ changePct: 100, outsideBothSpreads: true, direction: 'worse' })

    // The command line, on files; the older report without the per-process figures (reports before them still read).
    delete before.byProcess
    await writeFile(path.join(dir, 'before.json'), JSON.stringify(before))
    await writeFile(path.join(dir, 'after.json'), JSON.stringify(after))
    const compared = await runScript('bench/compare.ts', [path.join(dir, 'before.json'), path.join(dir, 'after.json')])
    expect(compared.code, compared.output).toBe(0)
    expect(compared.output).toMatch(/ 1 \(0\.95–1\.05\)\s+→ 1\.5 \(1\.4–1\.6\)\s+\+50%\s+outside both spreads\n/)
    expect(compared.output).toMatch(/ 1000 \(950–1050\)\s+→ 2000 \(1900–2100\)\s+\+100%\s+outside both spreads, worse\n/)
    // Three runs: each ratio's medians against the median of them, within ±10% or not.
    const third = structuredClone(report)
    third.ratios.storedVsEmpty16 = rounds(1.05, 1.1, 1.15)
    third.ratios.storedVsEmpty1 = rounds(0.95, 1, 1.05)
    const runs = new Map(runToRun([before, third, after]).map((r) => [r.name, r]))
    expect(runs.get('storedVsEmpty16')).toMatchObject({ medians: [1, 1.1, 1.5], median: 1.1, maxDeviationPct: 36.4, withinLimit: false })
    expect(runs.get('storedVsEmpty1')).toMatchObject({ medians: [1, 1, 1.04], median: 1, maxDeviationPct: 4, withinLimit: true })

    // A report of the bench before rounds existed is refused with what to do.
    await writeFile(path.join(dir, 'old-format.json'), JSON.stringify({ ratios: { purchaseVsBareHttp1: 0.4 } }))
    await expect(readReport(path.join(dir, 'old-format.json'))).rejects.toThrow(/run npm run bench again/)
  })
})

describe("a configuration's figures over its interleaved slices", () => {
  const hops = (total: number) => ({ sign: 1, openSheet: 1, confirm: 1, deliveryAcknowledged: total - 3, total, resultToPlayer: 0.5, deliveryHttp: 1 })
  const slice = (over: Partial<Slice>): Slice => ({ seconds: 0.5, completed: 0, latencies: [], cpuMs: 0, httpRequests: 0, connectionsOpened: 0, rssMb: 100, ...over })

  it('takes the rate from the operations completed within the slices, and the CPU and percentiles from every operation run', () => {
    // Worked by hand: 100 + 60 completed within 0.5 + 0.5 s is 160/s; 104 + 62 operations ran
    // (their tails included) for 830 + 500 ms of CPU, 8.012... ms each.
    const first = slice({ completed: 100, latencies: [...Array(103).fill(2), 40], cpuMs: 830, httpRequests: 208, connectionsOpened: 1, rssMb: 120, hops: [hops(4), hops(6), hops(8)] })
    const second = slice({ completed: 60, latencies: [...Array(61).fill(3), 50], cpuMs: 500, httpRequests: 124, connectionsOpened: 0, rssMb: 130, hops: [hops(10), hops(12)] })
    const measured = measurementOf([first, second])
    expect(measured).toMatchObject({ ops: 166, seconds: 1, perSecond: 160, httpRequests: 332, connectionsOpened: 1, cpuMsPerOp: 8.012, rssMb: 130 })
    // 166 latencies sorted: 103 of 2 ms, 61 of 3, then 40 and 50. p50 is the 84th (2 ms), p99 the 165th (40 ms).
    expect([measured.p50Ms, measured.p99Ms]).toEqual([2, 40])
    // Hops: the median over all five purchases, not the median of the slices' medians (6 and 11).
    expect(measured.hops).toMatchObject({ total: 8, deliveryAcknowledged: 5, sign: 1 })
    expect(measured.failed).toBeUndefined()
  })

  it('adds up the scenarios that did not pass, and refuses to make figures of nothing', () => {
    expect(measurementOf([slice({ completed: 21, latencies: Array(21).fill(30), failed: 1 }), slice({ completed: 21, latencies: Array(21).fill(30), failed: 0 })]).failed).toBe(1)
    expect(() => measurementOf([])).toThrow(/at least one slice/)
  })

  it('bench:compare says when two reports were measured by different methods', () => {
    const base = { mode: 'full', machine: { cpu: 'x', cores: 2, node: 'v20', platform: 'linux' }, load: { loadavg1: { median: 1 } } }
    const windows = { ...base, settings: { rounds: 7, windowSeconds: 2, warmupSeconds: 0.5, storedOrders: 100_000, order: '' } } as unknown as BenchReport
    const slices = { ...base, settings: { rounds: 7, slices: 8, settlingRounds: 1, warmupOps: 2, windowSeconds: 0.5, warmupSeconds: 0, storedOrders: 100_000, order: '' } } as unknown as BenchReport
    expect(settingsDifferences(windows, slices)).toEqual(['method: one 2 s window per configuration and round vs 8 interleaved slices of 0.5 s, 1 settling round(s)'])
    expect(settingsDifferences(slices, slices)).toEqual([])
    const processes = { ...slices, settings: { ...slices.settings, slices: 9, processes: 3 } } as unknown as BenchReport
    expect(settingsDifferences(slices, processes)).toEqual([
      'method: 8 interleaved slices of 0.5 s, 1 settling round(s) vs 9 interleaved slices of 0.5 s, 1 settling round(s), 3 processes per configuration',
    ])
  })
})
