/**
 * The `superapp-sim` command. Arguments are parsed with node:util parseArgs (built in,
 * strict: unknown flags are errors); every command answers --help.
 */
import { parseArgs } from 'node:util'
import { CONTROL_COMMANDS, controlCommand } from './cliControl'
import { checkEndpoint, formatCheckReport } from './delivery/endpointChecker'

const USAGE = `superapp-sim <command> [options]      (every command takes --help)

Run:
  start             the simulator, on demo data or a fixture
  exec              start it, run a command against it (CI), stop it: exit with the command's code
  scenario run      run scenario files headless; scenario validate checks them only
QA control of a running simulator (loopback only):
  reset             reset a sandbox to a fixture (demo, empty, or a fixture file)
  clock             show or move the sandbox clock
  payment-sheet     show or set how payment sheets are answered
  trigger           test-push, refund or resend, now
  events            print (or --follow) the sandbox's events
Check your game server:
  check-endpoint    check a delivery notification endpoint
`

const CHECK_USAGE = `superapp-sim check-endpoint --url <delivery URL> --app-key <AppKey> [options]

Sends your delivery endpoint a valid notification, the same again, one with a bad
PayEventSig, one with a tampered Payload, a malformed body and an unknown product, and
prints PASS/FAIL per check. Exit code 0 when all pass, 1 otherwise.

  --url <url>            the delivery URL to check (required)
  --app-key <key>        the AppKey your server verifies with (required)
  --out-trade-no <id>    an order your server created (a strict server refuses unknown ones)
  --openid <openid>      that order's player
  --product-id <id>      that order's product
  --quantity <n>         default 1
  --price <minor units>  default 1
  --timeout-ms <ms>      per request, default 3000
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === 'start') {
    const { runStart } = await import('./startCommand')
    // Undefined: running; the process stays up with the servers.
    return (await runStart(rest)) ?? 0
  }
  if (command === 'exec') {
    const { execCommand } = await import('./execCommand')
    return execCommand(rest)
  }
  if (command === 'check-endpoint') return checkEndpointCommand(rest)
  if (command === 'scenario') {
    const { scenarioCommand } = await import('./scenarios/scenarioCommand')
    return scenarioCommand(rest)
  }
  if (command && CONTROL_COMMANDS.includes(command)) return controlCommand(command, rest)
  process.stdout.write(USAGE)
  return command === undefined || command === '--help' || command === '-h' ? 0 : 2
}

async function checkEndpointCommand(argv: string[]): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        'app-key': { type: 'string' },
        'out-trade-no': { type: 'string' },
        openid: { type: 'string' },
        'product-id': { type: 'string' },
        quantity: { type: 'string', default: '1' },
        price: { type: 'string', default: '1' },
        'timeout-ms': { type: 'string', default: '3000' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${CHECK_USAGE}`)
    return 2
  }
  if (values.help) {
    process.stdout.write(CHECK_USAGE)
    return 0
  }
  const quantity = Number(values.quantity)
  const price = Number(values.price)
  const timeoutMs = Number(values['timeout-ms'])
  const problems = [
    !values.url || !URL.canParse(values.url) ? '--url must be an http(s) URL' : '',
    !values['app-key'] ? '--app-key is required' : '',
    !Number.isInteger(quantity) || quantity < 1 ? '--quantity must be a positive integer' : '',
    !Number.isInteger(price) || price < 0 ? '--price must be an integer number of minor units' : '',
    !Number.isInteger(timeoutMs) || timeoutMs < 1 ? '--timeout-ms must be a positive integer' : '',
  ].filter(Boolean)
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n\n${CHECK_USAGE}`)
    return 2
  }
  const report = await checkEndpoint({
    url: values.url!,
    appKey: values['app-key']!,
    timeoutMs,
    base: {
      OpenId: values.openid ?? 'oEndpointChecker0000000000000',
      Env: '0',
      OutTradeNo: values['out-trade-no'] ?? `CHK${Date.now().toString(36).toUpperCase()}`,
      GoodsInfo: { ProductId: values['product-id'] ?? 'product', Quantity: quantity, ZoneId: '', OrigPrice: price * quantity, ActualPrice: price * quantity, Attach: '', OrderSource: 1 },
    },
  })
  process.stdout.write(`${formatCheckReport(report)}\n`)
  return report.failed === 0 ? 0 : 1
}
