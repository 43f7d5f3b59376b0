/** Runs the superapp-sim command with this process's arguments (the bin's entry from sources). */
import { main } from './cli'

process.exitCode = await main(process.argv.slice(2))
