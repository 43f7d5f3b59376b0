/**
 * The `superapp-sim` commands that drive a running simulator's test-control API: reset,
 * clock, payment-sheet, trigger, events. Each takes `--simulator <url>` (env SIM_URL,
 * default http://127.0.0.1:7070) and `--sandbox <name>` (env SIM_SANDBOX, default the
 * default sandbox), prints JSON, and exits 0 on success, 1 when the simulator refused,
 * cannot be reached or is not the simulator (or a followed sandbox was reset), 2 on bad
 * usage. Every call goes through the scenario runner's test-control client
 * (scenarios/sandboxControl.ts): one way to build a sandbox's URL and to read a reply.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import WebSocket from 'ws'
import { SimulatorError } from './errors'
import { loadFixtureFile, looksLikeFixtureFile } from './fixtures/fixtureFile'
import { SHEET_FAILURE_CODES, SHEET_POLICIES } from './payments/sheetPolicy'
import { CLOSE_SANDBOX_RESET } from './sandbox/core'
import { SandboxControl } from './scenarios/sandboxControl'
import { parseDuration } from './scenarios/schema'
import { errorMessage } from '@superapp-sim/game-sdk'

const COMMON = `  --simulator <url>   the simulator (env SIM_URL, default http://127.0.0.1:7070)
  --sandbox <name>    the sandbox (env SIM_SANDBOX, default: the default sandbox)
  -h, --help          this help`

export const CONTROL_USAGE: Record<string, string> = {
  reset: `superapp-sim reset [--fixture <name|file>] [options]

Resets the sandbox to a fixture (default demo), creating the sandbox if needed. A
fixture file (.yaml/.yml/.json) is loaded first under its file name. Without --sandbox it
resets the default sandbox, the one \`npm start\` keeps on disk, and warns so.

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
fail (with --err-code ${SHEET_FAILURE_CODES.join(', ')}; a negative one needs the =, as in
--err-code=-1), after --delay of simulator time (a slow sheet).

  --policy <p>          ${SHEET_POLICIES.join(' | ')}
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

/** The sandbox a command addresses, from --simulator/--sandbox or the environment. */
function target(values: { simulator?: string; sandbox?: string }): SandboxControl {
  return new SandboxControl(values.simulator ?? process.env.SIM_URL ?? 'http://127.0.0.1:7070', values.sandbox ?? (process.env.SIM_SANDBOX || undefined))
}

const usage = (message: string) => new SimulatorError('USAGE', message)

const common = {
  simulator: { type: 'string' },
  sandbox: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

function duration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDuration(value)
  if (ms === undefined) throw usage(`${flag} must be a duration such as 500ms, 15s, 4m or 1h30m, got "${value}"`)
  return ms
}

const commands: Record<string, (argv: string[]) => Promise<unknown>> = {
  async reset(argv) {
    const { values } = parseArgs({ args: argv, options: { ...common, fixture: { type: 'string', default: 'demo' } } })
    const control = target(values)
    if (control.name === undefined) {
      // A warning, not a prompt or a required --yes: CI runs this unattended, and resetting the
      // default is sometimes what is meant (a demo's fresh start). The warning says what it cost.
      process.stderr.write(
        `warning: no --sandbox (or SIM_SANDBOX): this resets the default sandbox of ${control.url}, the one \`npm start\` persists ` +
          `(.superapp-sim/ unless --memory): its orders, refunds, console changes and delivery settings are replaced by the fixture "${values.fixture}". ` +
          'Pass --sandbox <name> to reset a sandbox of your own.\n',
      )
    }
    let fixture = values.fixture
    if (looksLikeFixtureFile(fixture)) {
      // A file that cannot be read or is invalid is the caller's to fix: usage (exit 2).
      const loaded = await loadFixtureFile(fixture).catch((error: Error) => {
        throw new SimulatorError('USAGE', error.message, { cause: error })
      })
      await control.putFixture(loaded.name, loaded.document)
      fixture = loaded.name
    }
    return control.reset(fixture)
  },

  async clock(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...common, advance: { type: 'string' }, set: { type: 'string' }, freeze: { type: 'boolean' }, unfreeze: { type: 'boolean' } },
    })
    const control = target(values)
    if (values.freeze && values.unfreeze) throw usage('--freeze or --unfreeze, not both')
    const change = {
      advanceMs: duration('--advance', values.advance),
      set: values.set,
      frozen: values.freeze ? true : values.unfreeze ? false : undefined,
    }
    if (Object.values(change).every((v) => v === undefined)) return control.clockNow()
    return control.clock(change)
  },

  async 'payment-sheet'(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...common, policy: { type: 'string' }, player: { type: 'string' }, 'err-code': { type: 'string' }, delay: { type: 'string' }, clear: { type: 'boolean' } },
    })
    const control = target(values)
    if (values.clear) return control.clearSheetPolicies()
    if (!values.policy) {
      if (values.player || values['err-code'] || values.delay) throw usage('--policy is required to set a policy')
      return control.sheetPolicies()
    }
    const policy = values.policy
    if (!isSheetPolicy(policy)) throw usage(`--policy must be one of ${SHEET_POLICIES.join(', ')}, got "${policy}"`)
    const errCode = values['err-code'] === undefined ? undefined : Number(values['err-code'])
    if (errCode !== undefined && !Number.isInteger(errCode)) throw usage(`--err-code must be an integer, got "${values['err-code']}"`)
    return control.setSheetPolicy({ policy, playerId: values.player, errCode, delayMs: duration('--delay', values.delay) })
  },

  async trigger(argv) {
    const [what, ...rest] = argv
    const { values } = parseArgs({
      args: rest,
      options: { ...common, 'app-id': { type: 'string' }, 'order-no': { type: 'string' }, reason: { type: 'string' }, 'notification-id': { type: 'string' } },
    })
    const control = target(values)
    if (what === 'test-push') {
      if (!values['app-id']) throw usage('trigger test-push needs --app-id')
      return control.triggerTestPush(values['app-id'])
    }
    if (what === 'refund') {
      if (!values['order-no']) throw usage('trigger refund needs --order-no')
      return control.triggerRefund(values['order-no'], values.reason)
    }
    if (what === 'resend') {
      if (!values['notification-id']) throw usage('trigger resend needs --notification-id')
      return control.triggerResend(values['notification-id'])
    }
    throw usage(what ? `unknown trigger "${what}": test-push, refund or resend` : 'which trigger? test-push, refund or resend')
  },

  async events(argv) {
    const { values } = parseArgs({ args: argv, options: { ...common, after: { type: 'string', default: '0' }, type: { type: 'string', default: '' }, follow: { type: 'boolean' } } })
    const control = target(values)
    if (!/^\d{1,15}$/.test(values.after)) throw usage(`--after must be an event seq, got "${values.after}"`)
    let after = Number(values.after)
    if (!values.follow) {
      for (;;) {
        const page = await control.events({ after, limit: 1000, type: values.type })
        for (const event of page.events) process.stdout.write(`${JSON.stringify(event)}\n`)
        if (page.events.length < 1000) return undefined
        after = page.cursor
      }
    }
    await followEvents(control, after, values.type)
    return undefined
  },
}

/**
 * Streams the sandbox's events until the stream ends. A reset or delete of the sandbox
 * (close 4001) or anything else that is not a normal close is reported (exit 1), so a
 * script that follows events learns its sandbox changed underneath.
 */
function followEvents(control: SandboxControl, after: number, typePrefix: string): Promise<void> {
  let last = after
  const socket = new WebSocket(control.eventStreamUrl(after))
  return new Promise<void>((resolve, reject) => {
    const fail = (error: SimulatorError) => {
      reject(error)
      socket.terminate()
    }
    socket.on('message', (data) => {
      let event: { seq?: unknown; type?: unknown }
      try {
        event = JSON.parse(String(data)) as typeof event
      } catch {
        return fail(new SimulatorError('UNREACHABLE', `the event stream at ${control.url} sent something that is not an event (not JSON): ${String(data).slice(0, 200)}. Is --simulator the simulator?`))
      }
      if (typeof event.seq === 'number') last = event.seq
      if (typeof event.type === 'string' && event.type.startsWith(typePrefix)) process.stdout.write(`${String(data)}\n`)
    })
    socket.on('unexpected-response', (_request, response) => fail(new SimulatorError('UNREACHABLE', `the simulator refused the event stream of ${control.url}: HTTP ${response.statusCode}`)))
    socket.on('error', (error) => fail(new SimulatorError('UNREACHABLE', `cannot reach the simulator at ${control.url}: ${error.message}. Is it running (superapp-sim start)?`)))
    socket.on('close', (code, reason) => {
      if (code === 1000 || code === 1005) return resolve()
      const why = `${code}${reason.length ? ` ${String(reason)}` : ''}`
      if (code === CLOSE_SANDBOX_RESET) {
        return reject(new SimulatorError('SANDBOX_RESET', `the sandbox was reset or deleted (close ${why}): the stream ended after seq ${last}; to go on, run events --follow --after ${last} again`))
      }
      reject(new SimulatorError('UNREACHABLE', `the event stream closed (${why}) after seq ${last}`))
    })
  })
}

const isSheetPolicy = (value: string): value is (typeof SHEET_POLICIES)[number] => (SHEET_POLICIES as readonly string[]).includes(value)

export const CONTROL_COMMANDS = Object.keys(commands)

/** Runs one control command; returns the exit code: 0 done, 1 the simulator refused or failed, 2 bad usage. */
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
    const code = (error as { code?: unknown }).code
    // parseArgs' own errors (unknown flag, missing value) are usage errors too.
    if (code === 'USAGE' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))) {
      process.stderr.write(`${(error as Error).message}\n\n${CONTROL_USAGE[name]}`)
      return 2
    }
    process.stderr.write(`${errorMessage(error)}\n`)
    return 1
  }
}
