// `npm start`: builds what changed (the pages, the sample game, the start bundle), then
// runs the start bundle (scripts/npmStart.ts as one Node file: about a second sooner than a
// TypeScript loader). Every flag is handled there.
import { NPM_START_ARTEFACTS, REPO_ROOT, buildStale, isFresh } from './artefacts.mjs'

const argv = process.argv.slice(2)
/** Milliseconds spent building, so the "ready in" line counts the start alone. */
let buildMs = 0
if (!argv.includes('--no-build')) {
  const started = performance.now()
  const stale = NPM_START_ARTEFACTS.filter((name) => !isFresh(name))
  if (stale.length) {
    // Measured on the project's 2-core machine at load average 16 (other builds and tests
    // running): 7.6-10.1 s for all six; a report from a busier machine said 53 s.
    const first = stale.length === NPM_START_ARTEFACTS.length
    console.log(
      `${first ? 'First start' : 'Sources changed'}: building ${stale.length} of ${NPM_START_ARTEFACTS.length} artefacts ` +
        `(the host shell, console and wx.js pages, the sample game, the start bundle). ` +
        `${first ? 'This happens once, about 10 s on two busy cores and up to a minute on a slow machine' : 'Only these are rebuilt'}: later starts build only what changed.`,
    )
    const built = await buildStale(stale, { log: (message) => console.log(message) })
    buildMs = performance.now() - started
    console.log(`built ${built.join(', ')} in ${(buildMs / 1000).toFixed(1)} s`)
  }
}
const { runNpmStart } = await import(`${REPO_ROOT}/dist/start.mjs`)
const code = await runNpmStart(argv, { buildMs })
if (code !== undefined) process.exitCode = code
