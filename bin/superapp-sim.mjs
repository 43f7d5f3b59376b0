#!/usr/bin/env node
// The superapp-sim command. It runs the server bundle (dist/server, built by `npm start` and
// `npm run build`) when that is newer than the sources: plain Node starts about a second
// sooner. Otherwise it runs the TypeScript sources through tsx's loader.
import path from 'node:path'
import { serverBundleIsFresh } from './freshness.mjs'

const root = path.resolve(import.meta.dirname, '..')
let main
if (process.env.SUPERAPP_SIM_FROM_SOURCES !== '1' && serverBundleIsFresh(root)) {
  ;({ main } = await import('../dist/server/cli.mjs'))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../simulator/src/cli.ts'))
}
process.exitCode = await main(process.argv.slice(2))
