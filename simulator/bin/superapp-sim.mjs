#!/usr/bin/env node
// The superapp-sim command. Installed, it runs the prebuilt dist/cli.js. Inside the
// project's repository, where dist/ may be missing or older than the sources, it runs the
// TypeScript sources through tsx (a dev dependency there) instead.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const packageRoot = path.resolve(import.meta.dirname, '..')
const artefacts = path.resolve(packageRoot, '../scripts/artefacts.mjs')
const inRepository = existsSync(path.join(packageRoot, 'src')) && existsSync(artefacts)

async function runBuilt() {
  const { main } = await import(pathToFileURL(path.join(packageRoot, 'dist/cli.mjs')).href)
  process.exitCode = await main(process.argv.slice(2))
}

if (!inRepository) {
  await runBuilt()
} else {
  const { isFresh } = await import(pathToFileURL(artefacts).href)
  // A process started with the repository's source condition resolves our packages to
  // TypeScript, which the built files cannot import without tsx: run the sources then too.
  const sourceCondition = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').includes('superapp-sim-source')
  if (process.env.SUPERAPP_SIM_FROM_SOURCES !== '1' && !sourceCondition && isFresh('simulator') && isFresh('game-sdk')) {
    await runBuilt()
  } else {
    // A child with the source condition and tsx's loader: conditions are fixed at process start.
    const { spawn } = await import('node:child_process')
    const child = spawn(
      process.execPath,
      ['--conditions=superapp-sim-source', '--import', 'tsx', path.join(packageRoot, 'src/cliMain.ts'), ...process.argv.slice(2)],
      { stdio: 'inherit' },
    )
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0)
    })
  }
}
