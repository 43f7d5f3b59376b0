// `npm start`: builds what changed (the pages, the sample game, the start bundle), then
// runs the start bundle (scripts/npmStart.ts as one Node file: about a second sooner than a
// TypeScript loader). Every flag is handled there.
import { NPM_START_ARTEFACTS, REPO_ROOT, buildStale } from './artefacts.mjs'

const argv = process.argv.slice(2)
if (!argv.includes('--no-build')) {
  const started = performance.now()
  const built = await buildStale(NPM_START_ARTEFACTS, { log: (message) => console.log(message) })
  if (built.length) console.log(`built ${built.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
const { runNpmStart } = await import(`${REPO_ROOT}/dist/start.mjs`)
const code = await runNpmStart(argv)
if (code !== undefined) process.exitCode = code
