#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader: the project ships its sources, not a build.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../simulator/src/cli.ts')
process.exitCode = await main(process.argv.slice(2))
