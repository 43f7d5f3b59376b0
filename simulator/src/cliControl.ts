/**
 * The `superapp-sim` commands that drive a running simulator's test-control API: reset,
 * clock, payment-sheet, trigger, events. Each takes `--simulator <url>` (env SIM_URL,
 * default http://127.0.0.1:7070) and `--sandbox <name>` (env SIM_SANDBOX, default the
 * default sandbox), prints JSON, and exits 0 on success, 1 when the simulator refused,
 * 2 on bad usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import WebSocket from 'ws'
import { loadFixtureFile, looksLikeFixtureFile } from './fixtures/fixtureFile'
import { parseDuration } from './scenarios/schema'

const COMMON = `  --simulator <url>   the simulator (env SIM_URL, default http://127.0.0.1:7070)
  --sandbox <name>    the sandbox (env SIM_SANDBOX, default: the default sandbox)
  -h, --help          this help`

export const CONTROL_USAGE: Record<string, string> = {
  reset: `superapp-sim reset [--fixture <name|file>] [options]

Resets the sandbox to a fixture (default demo), creating the sandbox if needed. A
fixture file (.yaml/.yml/.json) is loaded first under its file name.

  --fixture <name|file>   demo, empty, a loaded fixture, or a fixture file
${COMMON}
`,
  clock: `superapp-sim clock [--advance <duration>] [--set <ISO time>] [--freeze|--unfreeze] [options]

Shows the sandbox clock, or moves it forward (retries and slow sheets fall due on the way;
the command returns once the work they started finished). Durations: 500ms, 15s, 4m, 1h30m.

  --advance <duration>   move forward by this much
  --set <ISO time>       move forward to this time (never back)
  --freeze, --unfreeze   stop or restart the clock's own ticking
${COMMON}
`,
  'payment-sheet': `superapp-sim payment-sheet [--policy <p>] [--player <id>] [--err-code <n>] [--delay <duration>] [--clear] [options]

Shows or sets how payment sheets are answered: manual (the player), confirm, cancel, or
fail (with --err-code=-1, -2 or 1000: negative values need the =), after --delay of
simulator time (a slow sheet).

  --policy <p>          manual | confirm | cancel | fail
  --player <id>         only for this player (default: everyone without their own)
  --err-code <n>        for fail
  --delay <duration>    answer after this much simulator time
  --clear               every sheet back to manual
${COMMON}
`,
  trigger: `superapp-sim trigger <test-push|refund|resend> [options]

  test-push --app-id <appId>                 send the game's test URL a test push
  refund --order-no <no> [--reason <text>]   refund an order (a player's request, approved)
  resend --notification-id <N…>              send a notification again now
${COMMON}
`,
  events: `superapp-sim events [--after <seq>] [--type <prefix>] [--follow] [options]

Prints the sandbox's events (one JSON per line) after a cursor; --follow keeps streaming.

  --after <seq>      the last seq you have (default 0)
  --type <prefix>    only types starting with it, e.g. delivery.
  --follow           stream new events until interrupted
${COMMON}
`,
}

interface Target {
  base: string
  headers: Record<string, string>
}

function target(values: { simulator?: string; sandbox?: string }): Target {
  const simulator = (values.simulator ?? process.env.SIM_URL ?? 'http://127.0.0.1:7070').replace(/\/+$/, '')
  if (!URL.canParse(simulator)) throw new UsageError(`--simulator must be a URL, got "${simulator}"`)
  const sandbox = values.sandbox ?? process.env.SIM_SANDBOX
  return { base: sandbox ? `${simulator}/sandbox/${encodeURIComponent(sandbox)}` : simulator, headers: {} }
}

class UsageError extends Error {}
class RefusedError extends Error {}

async function request(to: Target, method: string, path: string, body?: unknown): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`${to.base}${path}`, {
      method,
      headers: body === undefined ? to.headers : { ...to.headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (error) {
    throw new RefusedError(`cannot reach the simulator at ${to.base}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}. Is it running (superapp-sim start)?`)
  }
  const text = await response.text()
  const json = text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : {}
  if (!response.ok) throw new RefusedError(`${response.status} ${json.error?.code ?? ''}: ${json.error?.message ?? text}`)
  return json
}

const common = {
  simulator: { type: 'string' },
  sandbox: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

function duration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDuration(value)
  if (ms === undefined) throw new UsageError(`${flag} must be a duration such as 500ms, 15s, 4m or 1h30m, got "${value}"`)
  return ms
}

const commands: Record<string, (argv: string[]) => Promise<unknown>> = {
  async reset(argv) {
    const { values } = parseArgs({ args: argv, options: { ...common, fixture: { type: 'string', default: 'demo' } } })
    const to = target(values)
    let fixture = values.fixture
    if (looksLikeFixtureFile(fixture)) {
      const loaded = await loadFixtureFile(fixture).catch((error: Error) => {
        throw new UsageError(error.message)
      })
      await request(to, 'PUT', `/_sim/fixtures/${loaded.name}`, loaded.document)
      fixture = loaded.name
    }
    return request(to, 'POST', '/_sim/reset', { fixture })
  },

  async clock(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...common, advance: { type: 'string' }, set: { type: 'string' }, freeze: { type: 'boolean' }, unfreeze: { type: 'boolean' } },
    })
    const to = target(values)
    if (values.freeze && values.unfreeze) throw new UsageError('--freeze or --unfreeze, not both')
    const body = {
      advanceMs: duration('--advance', values.advance),
      set: values.set,
      frozen: values.freeze ? true : values.unfreeze ? false : undefined,
    }
    if (Object.values(body).every((v) => v === undefined)) return request(to, 'GET', '/_sim/clock')
    return request(to, 'POST', '/_sim/clock', body)
  },

  async 'payment-sheet'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...common, policy: { type: 'string' }, player: { type: 'string' }, 'err-code': { type: 'string' }, delay: { type: 'string' }, clear: { type: 'boolean' } },
    })
    const to = target(values)
    if (values.clear) return request(to, 'DELETE', '/_sim/payment-sheet')
    if (!values.policy) {
      if (values.player || values['err-code'] || values.delay) throw new UsageError('--policy is required to set a policy')
      return request(to, 'GET', '/_sim/payment-sheet')
    }
    const errCode = values['err-code'] === undefined ? undefined : Number(values['err-code'])
    if (errCode !== undefined && !Number.isInteger(errCode)) throw new UsageError(`--err-code must be an integer, got "${values['err-code']}"`)
    return request(to, 'PUT', '/_sim/payment-sheet', { policy: values.policy, playerId: values.player, errCode, delayMs: duration('--delay', values.delay) })
  },

  async trigger(argv) {
    const [what, ...rest] = argv
    const { values } = parseArgs({
      args: rest,
      options: { ...common, 'app-id': { type: 'string' }, 'order-no': { type: 'string' }, reason: { type: 'string' }, 'notification-id': { type: 'string' } },
    })
    const to = target(values)
    if (what === 'test-push') {
      if (!values['app-id']) throw new UsageError('trigger test-push needs --app-id')
      return request(to, 'POST', '/_sim/triggers/test-push', { appId: values['app-id'] })
    }
    if (what === 'refund') {
      if (!values['order-no']) throw new UsageError('trigger refund needs --order-no')
      return request(to, 'POST', '/_sim/triggers/refund', { orderNo: values['order-no'], reason: values.reason })
    }
    if (what === 'resend') {
      if (!values['notification-id']) throw new UsageError('trigger resend needs --notification-id')
      return request(to, 'POST', '/_sim/triggers/resend', { notificationId: values['notification-id'] })
    }
    throw new UsageError(what ? `unknown trigger "${what}": test-push, refund or resend` : 'which trigger? test-push, refund or resend')
  },

  async events(argv) {
    const { values } = parseArgs({ args: argv, options: { ...common, after: { type: 'string', default: '0' }, type: { type: 'string', default: '' }, follow: { type: 'boolean' } } })
    const to = target(values)
    if (!/^\d{1,15}$/.test(values.after)) throw new UsageError(`--after must be an event seq, got "${values.after}"`)
    if (!values.follow) {
      let after = Number(values.after)
      for (;;) {
        const page = (await request(to, 'GET', `/_sim/events?${new URLSearchParams({ after: String(after), limit: '1000', type: values.type })}`)) as { events: unknown[]; cursor: number }
        for (const event of page.events) process.stdout.write(`${JSON.stringify(event)}\n`)
        if (page.events.length < 1000) return undefined
        after = page.cursor
      }
    }
    const socket = new WebSocket(`${to.base.replace(/^http/, 'ws')}/_sim/events/stream?after=${values.after}`)
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const event = JSON.parse(String(data)) as { type: string }
        if (event.type.startsWith(values.type)) process.stdout.write(`${String(data)}\n`)
      })
      socket.on('unexpected-response', (_req, res) => reject(new RefusedError(`the simulator refused the event stream: HTTP ${res.statusCode}`)))
      socket.on('error', (error) => reject(new RefusedError(`cannot reach the simulator at ${to.base}: ${error.message}`)))
      socket.on('close', () => resolve())
    })
    return undefined
  },
}

export const CONTROL_COMMANDS = Object.keys(commands)

/** Runs one control command; returns the exit code. */
export async function controlCommand(name: string, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(CONTROL_USAGE[name]!)
    return 0
  }
  try {
    const result = await commands[name]!(argv)
    if (result !== undefined) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    return 0
  } catch (error) {
    if (error instanceof RefusedError) {
      process.stderr.write(`${error.message}\n`)
      return 1
    }
    // parseArgs' own errors (unknown flag, missing value) are usage errors too.
    process.stderr.write(`${(error as Error).message}\n\n${CONTROL_USAGE[name]}`)
    return 2
  }
}
