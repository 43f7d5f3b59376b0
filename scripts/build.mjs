// `npm run build` (everything) and the simulator package's prepack (`simulator`): builds
// the artefacts of scripts/artefacts.mjs, stale or not.
import { ARTEFACTS, SIMULATOR_PACKAGE_ARTEFACTS, buildStale } from './artefacts.mjs'

const GROUPS = { all: Object.keys(ARTEFACTS), simulator: SIMULATOR_PACKAGE_ARTEFACTS }
const group = process.argv[2] ?? 'all'
if (!(group in GROUPS)) {
  console.error(`usage: node scripts/build.mjs [${Object.keys(GROUPS).join('|')}]`)
  process.exit(2)
}
const started = performance.now()
const built = await buildStale(GROUPS[group], { force: true, log: (message) => console.log(message) })
console.log(`built ${built.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
