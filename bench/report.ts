/**
 * The shape of `.reports/bench.json`, one definition for the bench that writes it,
 * `npm run bench:compare` that reads two of them, and the test that checks a quick run.
 * Every repeated figure keeps its rounds, so two reports can be compared by their spreads.
 */
import { z } from 'zod'

/** Bumped when a field changes meaning; bench:compare refuses reports of another version. */
export const REPORT_VERSION = 3

/**
 * The ratios the bench exists for: each one is computed within a round, from figures
 * measured in slices interleaved with each other. The rate ratios are what users see; the CPU ratios say
 * what the work costs, which other processes on a shared machine change less.
 */
export const RATIOS = {
  purchaseVsBareHttp1: 'purchases/s at 0 stored ÷ bare HTTP requests/s, 1 client',
  purchaseVsBareHttp16: 'purchases/s at 0 stored ÷ bare HTTP requests/s, 16 clients',
  storedVsEmpty1: 'purchases/s with the stored orders ÷ with 0, 1 player',
  storedVsEmpty16: 'purchases/s with the stored orders ÷ with 0, 16 players',
  coldStartStoredVsEmpty: 'cold start to first request with the stored orders ÷ with an empty data folder',
  memoryStoredVsEmpty: 'simulator RSS after its first request with the stored orders ÷ with an empty data folder',
  cpuPurchaseVsBareHttp1: 'CPU per purchase at 0 stored ÷ CPU per bare HTTP request, 1 client',
  cpuPurchaseVsBareHttp16: 'CPU per purchase at 0 stored ÷ CPU per bare HTTP request, 16 clients',
  cpuStoredVsEmpty1: 'CPU per purchase with the stored orders ÷ with 0, 1 player',
  cpuStoredVsEmpty16: 'CPU per purchase with the stored orders ÷ with 0, 16 players',
  cpuColdStartStoredVsEmpty: 'CPU of a cold start with the stored orders ÷ with an empty data folder',
} as const
export type RatioName = keyof typeof RATIOS

/** The absolute figures behind the ratios, and what users feel directly. */
export const METRICS = {
  bareHttp1PerSecond: { label: 'bare HTTP, 1 client', unit: '/s', better: 'higher' },
  bareHttp16PerSecond: { label: 'bare HTTP, 16 clients', unit: '/s', better: 'higher' },
  fetch1PerSecond: { label: 'reference only: Node’s global fetch, 1 client (not the purchase path’s client)', unit: '/s', better: 'higher' },
  purchaseEmpty1PerSecond: { label: 'purchases, 0 stored, 1 player', unit: '/s', better: 'higher' },
  purchaseEmpty16PerSecond: { label: 'purchases, 0 stored, 16 players', unit: '/s', better: 'higher' },
  purchaseStored1PerSecond: { label: 'purchases, stored orders, 1 player', unit: '/s', better: 'higher' },
  purchaseStored16PerSecond: { label: 'purchases, stored orders, 16 players', unit: '/s', better: 'higher' },
  purchaseEmpty1P99Ms: { label: 'purchase p99, 0 stored, 1 player', unit: ' ms', better: 'lower' },
  purchaseEmpty16P99Ms: { label: 'purchase p99, 0 stored, 16 players', unit: ' ms', better: 'lower' },
  purchaseStored1P99Ms: { label: 'purchase p99, stored orders, 1 player', unit: ' ms', better: 'lower' },
  purchaseStored16P99Ms: { label: 'purchase p99, stored orders, 16 players', unit: ' ms', better: 'lower' },
  bareHttp1CpuMs: { label: 'CPU per bare HTTP request, 1 client', unit: ' ms', better: 'lower' },
  purchaseEmpty1CpuMs: { label: 'CPU per purchase, 0 stored, 1 player', unit: ' ms', better: 'lower' },
  purchaseStored1CpuMs: { label: 'CPU per purchase, stored orders, 1 player', unit: ' ms', better: 'lower' },
  coldStartEmptyMs: { label: 'cold start to first request, empty data folder', unit: ' ms', better: 'lower' },
  coldStartStoredMs: { label: 'cold start to first request, stored orders', unit: ' ms', better: 'lower' },
  coldStartEmptyCpuMs: { label: 'CPU of a cold start, empty data folder', unit: ' ms', better: 'lower' },
  coldStartStoredCpuMs: { label: 'CPU of a cold start, stored orders', unit: ' ms', better: 'lower' },
  rssEmptyMb: { label: 'simulator RSS after first request, empty data folder', unit: ' MB', better: 'lower' },
  rssStoredMb: { label: 'simulator RSS after first request, stored orders', unit: ' MB', better: 'lower' },
  peakRssStoredMb: { label: 'simulator peak RSS while starting, stored orders', unit: ' MB', better: 'lower' },
  scenariosPerSecond: { label: 'shipped QA scenarios, 4 at a time', unit: '/s', better: 'higher' },
} as const satisfies Record<string, { label: string; unit: string; better: 'higher' | 'lower' }>
export type MetricName = keyof typeof METRICS

export const HOPS = ['sign', 'openSheet', 'confirm', 'deliveryAcknowledged', 'total', 'resultToPlayer', 'deliveryHttp'] as const
/** The purchase configurations whose hops are reported: stored orders (empty or stored) and players. */
export const PURCHASE_RUNS = ['empty1', 'empty16', 'stored1', 'stored16'] as const
/** What each process of a purchase configuration is measured doing: its configuration and number of clients. */
export const PROCESS_RUNS = ['bare1', 'bare16', ...PURCHASE_RUNS] as const
export type ProcessRun = (typeof PROCESS_RUNS)[number]

const processFiguresSchema = z.object({ cpuMsPerOp: z.number(), perSecond: z.number() })

const spreadSchema = z.object({
  median: z.number(),
  min: z.number(),
  max: z.number(),
  spreadPct: z.number(),
  rounds: z.array(z.number()).min(1),
})

const fpsSchema = z.object({
  fps: spreadSchema,
  p95FrameMs: spreadSchema,
  viewport: z.object({ width: z.number(), height: z.number(), deviceScaleFactor: z.number() }),
  renderer: z.string(),
  glRenderer: z.string(),
  windowSeconds: z.number(),
})
const notMeasuredSchema = z.object({ notMeasured: z.string() })

const roundLoadSchema = z.object({
  phase: z.string(),
  round: z.number(),
  loadavg1: z.number(),
  othersCpuCores: z.number().optional(),
  benchCpuCores: z.number().optional(),
})

const storeOnDiskSchema = z.object({ orders: z.number(), bytes: z.number() })

export const benchReportSchema = z.object({
  version: z.literal(REPORT_VERSION),
  mode: z.enum(['full', 'quick']),
  startedAt: z.string(),
  durationSeconds: z.number(),
  /** Wall time of each phase (purchases, coldStart, scenarios, fps), setting up included. */
  phaseSeconds: z.record(z.string(), z.number()),
  /** Each worker's warm-up before its first round: until the CPU per operation stopped falling. */
  warmups: z.record(
    z.string(),
    z.object({ seconds: z.number(), steps: z.number(), firstCpuMsPerOp: z.number(), bestCpuMsPerOp: z.number(), steady: z.boolean() }),
  ),
  machine: z.object({ cpu: z.string(), cores: z.number(), node: z.string(), platform: z.string() }),
  settings: z.object({
    rounds: z.number(),
    /** Cold starts are cheap and noisier: more pairs of them (reports before it had `rounds` of them). */
    coldStartRounds: z.number().optional(),
    /** Slices per configuration and number of clients a round, interleaved (reports before it measured one window each). */
    slices: z.number().optional(),
    /** Processes per purchase configuration, taking its slices in turn (reports before it: one). */
    processes: z.number().optional(),
    /** Rounds measured first and not counted. */
    settlingRounds: z.number().optional(),
    /** Unmeasured operations per client before each slice (then windowSeconds/warmupSeconds described one window). */
    warmupOps: z.number().optional(),
    /** One slice (before slices: one window). */
    windowSeconds: z.number(),
    warmupSeconds: z.number(),
    storedOrders: z.number(),
    order: z.string(),
  }),
  /** How the bare baseline is made, as the output says it. */
  baseline: z.object({ client: z.string(), connectionsPer100Requests: z.object({ bareHttp: z.number(), purchases: z.number() }) }),
  ratios: z.object(Object.fromEntries(Object.keys(RATIOS).map((name) => [name, spreadSchema])) as Record<RatioName, typeof spreadSchema>),
  metrics: z.object(Object.fromEntries(Object.keys(METRICS).map((name) => [name, spreadSchema])) as Record<MetricName, typeof spreadSchema>),
  /** Median ms of each hop of a purchase, per configuration: the spread of the per-round medians. */
  hops: z.object(
    Object.fromEntries(
      PURCHASE_RUNS.map((run) => [run, z.object(Object.fromEntries(HOPS.map((hop) => [hop, spreadSchema])) as Record<(typeof HOPS)[number], typeof spreadSchema>)]),
    ) as Record<(typeof PURCHASE_RUNS)[number], z.ZodObject<Record<(typeof HOPS)[number], typeof spreadSchema>>>,
  ),
  /** Per process of each configuration (reports before it: none), over its own slices of the counted rounds. */
  byProcess: z.object(Object.fromEntries(PROCESS_RUNS.map((run) => [run, z.array(processFiguresSchema)])) as Record<ProcessRun, z.ZodArray<typeof processFiguresSchema>>).optional(),
  coldStart: z.object({ from: z.enum(['bundle', 'sources']), storedOrders: storeOnDiskSchema, emptyDataFolder: z.string() }),
  scenarios: z.object({ count: z.number(), failed: z.number() }),
  fps: z.object({
    webBuild: z.union([fpsSchema, notMeasuredSchema]),
    /** The sample game's mini game package build (issue 15), run by the host shell's runtime. */
    miniGamePackage: z.union([fpsSchema, notMeasuredSchema]),
  }),
  load: z.object({
    rounds: z.array(roundLoadSchema).min(1),
    loadavg1: spreadSchema,
    othersCpuCores: spreadSchema.optional(),
  }),
  /** Ratios whose rounds lie further than ±10% from their median. */
  unstable: z.array(z.string()),
})

export type BenchReport = z.infer<typeof benchReportSchema>
export type FpsFigures = z.infer<typeof fpsSchema>
export type RoundLoadRecord = z.infer<typeof roundLoadSchema>

/** Decimals a ratio is kept to (reports before it: 2). */
export const RATIO_DIGITS = 3

/** A ratio is stable enough to tell a regression from noise when every round is within this of its median. */
export const STABLE_WITHIN_PCT = 10
