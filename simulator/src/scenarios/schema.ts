import { z } from 'zod'
import { SHEET_POLICIES } from '@superapp-sim/game-sdk'
import { SIGN_DATA_FIELDS } from '@superapp-sim/game-sdk/testing'
import { DEMO_GAME } from '../demo/demoGame'
import { faultsBody } from '../control/schemas'
import { ORDER_STATUS_NAMES } from '../store/orderStatus'
import { SANDBOX_NAME, SANDBOX_NAME_RULE } from '../sandbox/names'

/**
 * The scenario file format (docs/decisions/006-qa-automation.md, "Scenarios").
 *
 * One scenario per file, YAML or JSON (JSON is YAML, so one loader reads both). Every
 * object is strict: an unknown key is an error with a "did you mean" hint, and a file is
 * refused, with file, line and column, before anything runs.
 *
 * ```yaml
 * name: a purchase is delivered once            # required, shown in reports
 * description: optional free text
 * fixture: demo                                 # default demo (or `scenario run --fixture`)
 * game: mg5a3f9c2e71d04b88                      # appId, default the sample game Gem Quest
 * players: [player-1]                           # ids from the fixture (demo: player-1, player-2)
 * prices: { my_item: 150 }                      # optional: prices the game server signs with
 * timeout: 60s                                  # optional real-time limit of the whole scenario (at most 1h)
 * steps:
 *   - login: player-1
 *   - buy: { id: first, player: player-1, product: gem_pack_small, outcome: confirm }
 *   - expectDelivery: { buy: first, within: 1m }
 *   - expectInventory: { player: player-1, product: gem_pack_small, quantity: 1 }
 * ```
 *
 * Each step is an object with exactly one key, the step's name:
 *
 * - `login: <player>`: wx.login on the player's headless host connection, then the
 *   game server exchanges the code (jscode2session). Every buy needs an earlier login of
 *   its player; a second login renews the session_key (the old one then gives -15015).
 * - `buy`: the game server signs an order, the player calls
 *   wx.requestMidasPaymentGameItem with it.
 *   - `id` (name it to refer to it later; else it is `#<step number>`), `player`,
 *     `product`, `quantity` (default 1).
 *   - `outcome`: what the payment sheet does, set as the player's sheet policy just
 *     before: `confirm`, `cancel` (errCode 1) or `fail` with `errCode` (-1, -2 or 1000,
 *     the host's own failures). Omitted: the policy is left as it is (see `sheetPolicy`;
 *     after the reset it is `manual`, and the runner's players confirm by themselves).
 *   - `delay`: a slow sheet: it answers after this much simulator-clock time, so only
 *     `advanceClock` lets it finish (without `outcome`, it confirms).
 *   - `wait` (default true): wait for the result and check it against `expect`
 *     (default: 0 for confirm or no outcome, 1 for cancel, `errCode` for fail).
 *     `wait: false` goes on at once; check the result later with `expectResult`.
 *   - Tampering, to make the host refuse: `price` (goodsPrice signed instead of the
 *     item's), `currency` (default USD), `outTradeNo` (explicit; default a fresh one),
 *     `reuseOutTradeNo: <buy id>` (the outTradeNo of an earlier buy), `appId` (pay
 *     through another mini game's host connection), `omitField` (a signData field left
 *     out, signed without it), `tamper`: one or a list of `badPaySig`, `badSignature`,
 *     `staleSessionKey` (signed with the session_key of the player's previous login),
 *     `signDataAsObject`, `signDataNotJson`, `omitSignData`, `omitPaySig`, `omitSignature`.
 * - `expectResult: {buy, errCode}`: the errCode the buy ended with (waits for it).
 * - `receiver`: the game server's delivery receiver, exactly one of `failNext: k` (answer
 *   HTTP 503 to the next k notifications), `down: true` (to all, until `up`), `up: true`,
 *   `slowMs: n` (answer every notification n real ms late; the host gives up after 3 s).
 * - `advanceClock: <duration>`: moves the sandbox clock; returns once the delivery
 *   attempts that fell due have finished. The clock never moves otherwise.
 * - `expectDelivery: {buy, delivered?: true, within?, attempts?, granted?}`: the host
 *   says the order is delivered (or, with `delivered: false`, not yet); `within`: it was
 *   delivered at most this long after it was paid (sandbox clock); `attempts`: the number
 *   of delivery notifications the game server received for it (failed ones included);
 *   `granted`: how many times the game server granted it (1 even after duplicates).
 * - `expectOrder: {buy, status, refunded?}`: the host's order status as the host names it
 *   (orders/records.ts), spaces written as underscores: created, paid, delivering,
 *   delivered, refunded, closed, refund_failed (and init); `refunded`: the amount
 *   refunded so far (minor units).
 * - `refund: {buy, by: player|developer, amount?, reason?}`: `player` is a player's
 *   request, approved by the superapp at once (POST /_sim/triggers/refund: always the
 *   whole amount left); `developer` is the game server's query_order + refund_order
 *   (`amount` default the amount left).
 * - `expectRefundNotification: {buy, amount?, count?}`: the game server received (and
 *   accepted) a refund notification for the buy; `amount`: its RefundFee; `count`: how
 *   many distinct refunds (default 1).
 * - `expectInventory: {player, product, quantity}`: the game server's inventory, read
 *   over HTTP (GET /inventory/:openid); a fully refunded order's goods are taken back.
 * - `http: {get, status?: 200, json?}`: a GET whose JSON must contain `json` (objects
 *   by subset, arrays element by element). The URL may use `{sandbox}`, `{game}`,
 *   `{appId}`, `{openid:<player>}`, `{outTradeNo:<buy>}`, `{orderNo:<buy>}`.
 * - `fault: {kind, count?: 1, delay?}`: simulator-side delivery faults for the next
 *   `count` deliveries: the kinds PUT /_sim/minigames/:appId/faults takes (duplicate,
 *   delay with `delay`, outOfOrder, ignoreReply); `kind: none` clears them. Replaces the
 *   faults set before.
 * - `sheetPolicy: {player?, policy: manual|confirm|cancel|fail, errCode?, delay?}`: the
 *   payment sheet policy for one player or, without `player`, for all.
 *
 * Expectations that depend on work the host does without a clock move (the first
 * delivery attempt right after payment, a refund notification) are polled for up to 5 s
 * of real time; nothing sleeps for a fixed time.
 *
 * How a scenario runs: in a sandbox of its own (`scn-<random>-<n>`, reset to its fixture,
 * clock frozen, deleted afterwards), with a game server of its own (startTestGameServer of @superapp-sim/game-sdk/testing) set
 * as the game's delivery URL, and one headless player per listed player. A reset of the
 * sandbox by anyone else fails the scenario ("the sandbox was reset during the scenario").
 * The game server signs with the demo catalog's prices plus `prices`; a fixture of other
 * items needs `prices` (or `price` on each buy).
 *
 * Durations: a number of milliseconds or a string of units in descending order, without
 * spaces: `250ms`, `15s`, `4m`, `1h`, `1m30s`.
 */

/** The mini game a scenario plays by default: the sample game. */
export const DEFAULT_GAME = DEMO_GAME.appId
export const DEFAULT_FIXTURE = 'demo'
/**
 * The longest real-time limit a scenario may set. A scenario moves its clock with
 * advanceClock instead of waiting, so an hour is plenty; and setTimeout cannot wait more
 * than 2^31-1 ms (it would fire at once).
 */
export const MAX_SCENARIO_TIMEOUT_MS = 3_600_000

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const
const UNIT_ORDER = ['h', 'm', 's', 'ms'] as const
const DURATION_HINT = 'use e.g. 250ms, 15s, 4m, 1h, 1m30s, or a number of milliseconds'

/** Parses a duration strictly; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(ms|h|m|s))+$/.test(text)) return undefined
  let total = 0
  let lastUnit = -1
  for (const [, digits, unit] of text.matchAll(/(\d+)(ms|h|m|s)/g)) {
    const order = UNIT_ORDER.indexOf(unit as (typeof UNIT_ORDER)[number])
    if (order <= lastUnit) return undefined
    lastUnit = order
    total += Number(digits) * UNIT_MS[unit as keyof typeof UNIT_MS]
  }
  return Number.isSafeInteger(total) ? total : undefined
}

/** Formats milliseconds the way scenario files write them. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  let left = ms
  let out = ''
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit]
    if (left >= size) {
      out += `${Math.floor(left / size)}${unit}`
      left %= size
    }
  }
  return out
}

const duration = z.unknown().transform((value, ctx): number => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  if (typeof value === 'string') {
    const ms = parseDuration(value)
    if (ms !== undefined) return ms
  }
  ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(value)}: ${DURATION_HINT}` })
  return z.NEVER
})

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'use 1 to 40 of A-Z a-z 0-9 _ -')
const playerId = z.string().min(1).max(64)
const buyRef = id
const errCode = z.number().int()
const money = z.number().int().nonnegative()

export const BUY_OUTCOMES = ['confirm', 'cancel', 'fail'] as const
export const TAMPERS = [
  'badPaySig',
  'badSignature',
  'staleSessionKey',
  'signDataAsObject',
  'signDataNotJson',
  'omitSignData',
  'omitPaySig',
  'omitSignature',
] as const
export type Tamper = (typeof TAMPERS)[number]

/** A status as a scenario writes it: the host's name with underscores ('refund failed' -> refund_failed). */
export function orderStatusName(status: number): string {
  return (ORDER_STATUS_NAMES[status] ?? String(status)).replaceAll(' ', '_')
}
/** The host's status number of each name a scenario may write. */
export const ORDER_STATUS_BY_NAME: ReadonlyMap<string, number> = new Map(Object.keys(ORDER_STATUS_NAMES).map((status) => [orderStatusName(Number(status)), Number(status)]))
const ORDER_STATUSES = [...ORDER_STATUS_BY_NAME.keys()] as [string, ...string[]]

/** The delivery faults the test-control API takes, and `none` to clear them. */
export const FAULT_KINDS = [...faultsBody.shape.faults.element.shape.kind.options, 'none'] as const

/** `{name}` or `{name:argument}` in an http step's URL. */
export const URL_PLACEHOLDER = /\{([A-Za-z]+)(?::([^}]*))?\}/g
/** The placeholders an http step's URL may use; the last three take an argument. */
export const URL_PLACEHOLDERS = ['sandbox', 'game', 'appId', 'openid', 'outTradeNo', 'orderNo'] as const

const tamper = z.enum(TAMPERS)

/** One schema per step; the step's name is its only key. */
export const stepSchemas = {
  login: playerId,
  buy: z.strictObject({
    id: id.optional(),
    player: playerId,
    product: z.string().min(1).max(64),
    quantity: z.number().int().min(1).max(10_000).optional(),
    outcome: z.enum(BUY_OUTCOMES).optional(),
    errCode: errCode.optional(),
    delay: duration.optional(),
    wait: z.boolean().optional(),
    expect: errCode.optional(),
    price: z.number().int().optional(),
    currency: z.string().min(1).max(16).optional(),
    outTradeNo: z.string().min(1).max(64).optional(),
    reuseOutTradeNo: buyRef.optional(),
    appId: z.string().min(1).max(64).optional(),
    omitField: z.enum(SIGN_DATA_FIELDS).optional(),
    tamper: z.union([tamper, z.array(tamper).min(1)]).optional(),
  }),
  expectResult: z.strictObject({ buy: buyRef, errCode }),
  receiver: z.strictObject({
    failNext: z.number().int().min(1).max(100).optional(),
    down: z.literal(true).optional(),
    up: z.literal(true).optional(),
    slowMs: z.number().int().min(0).max(60_000).optional(),
  }),
  advanceClock: duration,
  expectDelivery: z.strictObject({
    buy: buyRef,
    delivered: z.boolean().optional(),
    within: duration.optional(),
    attempts: z.number().int().min(0).optional(),
    granted: z.number().int().min(0).optional(),
  }),
  expectOrder: z.strictObject({ buy: buyRef, status: z.enum(ORDER_STATUSES), refunded: money.optional() }),
  refund: z.strictObject({
    buy: buyRef,
    by: z.enum(['player', 'developer']),
    amount: z.number().int().positive().optional(),
    reason: z.string().min(1).max(256).optional(),
  }),
  expectRefundNotification: z.strictObject({ buy: buyRef, amount: z.number().int().positive().optional(), count: z.number().int().min(0).optional() }),
  expectInventory: z.strictObject({ player: playerId, product: z.string().min(1).max(64), quantity: z.number().int().min(0) }),
  http: z.strictObject({ get: z.string().min(1).max(2000), status: z.number().int().min(100).max(599).optional(), json: z.unknown().optional() }),
  fault: z.strictObject({ kind: z.enum(FAULT_KINDS), count: z.number().int().min(1).max(1000).optional(), delay: duration.optional() }),
  sheetPolicy: z.strictObject({ player: playerId.optional(), policy: z.enum(SHEET_POLICIES), errCode: errCode.optional(), delay: duration.optional() }),
} as const

export type StepKind = keyof typeof stepSchemas
export const STEP_KINDS = Object.keys(stepSchemas) as StepKind[]

/** A step as written: an object whose only key is the step's name. */
export const stepSchema = z
  .strictObject(Object.fromEntries(STEP_KINDS.map((kind) => [kind, stepSchemas[kind].optional()])) as { [K in StepKind]: z.ZodOptional<(typeof stepSchemas)[K]> })
  .superRefine((step, ctx) => {
    const keys = Object.keys(step)
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: `a step needs one action: ${STEP_KINDS.join(', ')}` })
    if (keys.length > 1) ctx.addIssue({ code: 'custom', message: `one action per step, found ${keys.join(' and ')}: split them into separate steps` })
  })

export const scenarioSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  fixture: z.string().regex(SANDBOX_NAME, `fixture ${SANDBOX_NAME_RULE}`).optional(),
  game: z.string().min(1).max(64).optional(),
  players: z.array(playerId).min(1, 'list at least one player (demo: player-1, player-2)'),
  prices: z.record(z.string().min(1).max(64), z.number().int().positive()).optional(),
  timeout: duration
    .refine((ms) => ms <= MAX_SCENARIO_TIMEOUT_MS, `at most ${formatDuration(MAX_SCENARIO_TIMEOUT_MS)} of real time (a scenario moves its clock with advanceClock, it does not wait)`)
    .optional(),
  steps: z.array(stepSchema).min(1, 'a scenario needs at least one step'),
})

export type StepValue<K extends StepKind> = z.output<(typeof stepSchemas)[K]>

/** A validated step: its action and value, with where it was written. */
export type ScenarioStep = {
  [K in StepKind]: { kind: K; index: number; line: number; value: StepValue<K> }
}[StepKind]


/** A validated scenario, ready to run. */
export interface Scenario {
  file: string
  name: string
  description?: string
  /** Undefined when the file names none: the run's default applies. */
  fixture?: string
  game: string
  players: string[]
  prices: Record<string, number>
  timeoutMs?: number
  steps: ScenarioStep[]
  /** Line of the scenario's `name`. */
  line: number
}
