/**
 * `superapp-sim exec [start options] -- <command…>`: for CI, as emulator suites do. Starts
 * the simulator (in memory unless --data-dir is given), waits until it answers, runs the
 * command with the simulator's URLs in its environment, stops the simulator, and exits
 * with the command's code.
 */
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import type { RunningSimulator } from './app'
import { START_OPTIONS, planStart, startPlanned, type StartValues } from './startCommand'

export const EXEC_USAGE = `superapp-sim exec [options] -- <command> [args…]

Starts the simulator, runs the command with these in its environment, stops the simulator
and exits with the command's exit code (1 if it was killed by a signal, 127 if it could
not be started):
  SIM_URL            the simulator's root URL (the default sandbox), e.g. http://127.0.0.1:7070
                     (the superapp-sim control commands read it too)
  SIM_HOST_URL       the host shell, e.g. http://localhost:7070/host/
  SIM_CONSOLE_URL    the console
The simulator's log goes to stderr, prefixed; the command's output is its own.

Options (those of start; state is in memory unless --data-dir is given):
  --port <n>          default 7070 (env SIM_PORT); 0 picks a free port: read SIM_URL
  --data-dir <dir>    keep state in this folder instead of memory
  --delivery-url <u>  the demo mini game's delivery URL (your server under test)
  --time-scale <n>    divide delivery retry waits by n
  --fixture <f>       demo (default), empty, or a fixture file (.yaml/.json)

Example (CI):
  npx superapp-sim exec --port 0 -- npm test
`

/** The environment a command under `exec` gets. */
export function simulatorEnvironment(simulator: Pick<RunningSimulator, 'url' | 'port'>): Record<string, string> {
  return {
    SIM_URL: simulator.url,
    SIM_HOST_URL: `http://localhost:${simulator.port}/host/`,
    SIM_CONSOLE_URL: `http://localhost:${simulator.port}/console/`,
  }
}

/** Runs a command to its end, with stdio inherited; resolves with its exit code. */
function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    const done = (code: number) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      resolve(code)
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(`superapp-sim exec: cannot run "${command}": ${error.code === 'ENOENT' ? 'command not found' : error.message}\n`)
      done(127)
    })
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}

/** The `exec` command; argv are the arguments after `exec`. Resolves with the exit code. */
export async function execCommand(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--')
  const flags = separator === -1 ? argv : argv.slice(0, separator)
  const [command, ...args] = separator === -1 ? [] : argv.slice(separator + 1)
  let plan
  try {
    const { values } = parseArgs({ args: flags, options: { ...START_OPTIONS, 'data-dir': { type: 'string' } } })
    if (values.help) {
      process.stdout.write(EXEC_USAGE)
      return 0
    }
    if (!command) throw new Error('give the command to run after --, e.g. superapp-sim exec -- npm test')
    // exec prints no invitation and runs a command on this machine: nothing for the network to reach.
    if (values.lan || values['lan-address'] !== undefined) throw new Error('--lan is for `superapp-sim start` (a demo on phones); exec runs your command against a simulator on this machine only')
    const memory = values['data-dir'] === undefined
    plan = await planStart({ ...(values as StartValues), memory, 'data-dir': values['data-dir'] ?? '.superapp-sim', fixture: values.fixture ?? 'demo' })
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${EXEC_USAGE}`)
    return 2
  }
  let simulator: RunningSimulator
  try {
    simulator = await startPlanned(plan, { log: (message) => process.stderr.write(`[superapp-sim] ${message}\n`) })
  } catch (error) {
    process.stderr.write(`superapp-sim exec: the simulator did not start: ${(error as Error).message}\n`)
    return 2
  }
  process.stderr.write(`[superapp-sim] simulator ready at ${simulator.url}; running ${[command, ...args].join(' ')}\n`)
  try {
    return await runCommand(command, args, { ...process.env, ...simulatorEnvironment(simulator) })
  } finally {
    await simulator.close()
  }
}
