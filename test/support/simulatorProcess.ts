/**
 * A simulator in a child process, for tests that kill it (SIGKILL) and start it again on
 * the same data folder. Prints "READY <url>" once it serves requests.
 */
import { parseArgs } from 'node:util'
import { startSimulator } from '../../simulator/src/app'

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, 'delivery-origin': { type: 'string' }, port: { type: 'string', default: '0' } } })
const simulator = await startSimulator({
  port: Number(values.port),
  dataDir: values['data-dir'],
  sampleGameOrigin: values['delivery-origin'],
  log: () => {},
})
process.stdout.write(`READY ${simulator.url}\n`)
