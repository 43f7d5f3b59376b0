/**
 * The two packages as a game's repository gets them: `npm pack` (which builds them), the
 * tarballs installed into a project outside this repository with its own node_modules,
 * then used from there: types checked under moduleResolution bundler and node16, a
 * purchase under `superapp-sim exec`, and the Vite plugin in a Vite game bought from in
 * Chromium. Nothing in the project points back into the repository.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import path from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { chromium } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../scripts/artefacts.mjs'

const run = promisify(execFile)
const FIXTURE = path.join(import.meta.dirname, 'consumer')
/** The consumer's other dependencies, at the versions this repository locks (installed from npm's cache). */
const CONSUMER_DEPENDENCIES = ['express@5.3.0', 'ws@8.23.0', 'vite@8.3.8', 'vitest@4.1.12', 'typescript@5.9.3', '@types/node@20.19.43', '@types/express@5.0.6', '@types/ws@8.18.2']

let project: string
let tarballs: { sdk: string; simulator: string }

async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return run('npm', args, { cwd, env: { ...process.env, ...env, npm_config_audit: 'false', npm_config_fund: 'false' }, maxBuffer: 64 * 1024 * 1024 })
}

async function folderSize(folder: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size
  }
  return total
}

beforeAll(async () => {
  const packs = await mkdtemp(path.join(tmpdir(), 'superapp-sim-packs-'))
  // npm pack runs each package's prepack (its build) and leaves one tarball per package.
  const packed = async (workspace: string) => {
    await npm(['pack', '--pack-destination', packs], path.join(REPO_ROOT, workspace))
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, workspace, 'package.json'), 'utf8')) as { name: string; version: string }
    return path.join(packs, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`)
  }
  tarballs = { sdk: await packed('game-sdk'), simulator: await packed('simulator') }
  project = await mkdtemp(path.join(tmpdir(), 'superapp-sim-consumer-'))
  await cp(FIXTURE, project, { recursive: true })
  await npm(['install', '--prefer-offline', '--no-package-lock', tarballs.sdk, tarballs.simulator, ...CONSUMER_DEPENDENCIES], project)
}, 600_000)

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true })
})

// Each test runs whole tools (tsc over a project, Vite, Chromium, npx): on one starved core
// (npm run test:slow beside the other suites) a type-check took over a minute. The timeouts
// here only catch a hang; they say nothing about speed.
const HANG_GUARD_MS = 600_000

describe('the packages installed from their tarballs into a project of its own', { timeout: HANG_GUARD_MS }, () => {
  it('installs real copies, with nothing pointing back into the repository', async () => {
    for (const name of ['game-sdk', 'simulator']) {
      const installed = path.join(project, 'node_modules/@superapp-sim', name)
      expect((await stat(installed)).isSymbolicLink()).toBe(false)
      const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as { version: string }
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/)
    }
    const simulatorDist = path.join(project, 'node_modules/@superapp-sim/simulator/dist')
    expect((await readdir(path.join(simulatorDist, 'web'))).sort()).toEqual(['console', 'host', 'sdk'])
    // The simulator ships nothing of the sample game, and game-sdk nothing of the simulator.
    const sources = async (folder: string) => (await readdir(folder, { recursive: true })).filter((f) => /\.(m?js|d\.m?ts)$/.test(f))
    for (const file of await sources(simulatorDist)) expect(await readFile(path.join(simulatorDist, file), 'utf8')).not.toMatch(/sample-game\//)
    const sdkDist = path.join(project, 'node_modules/@superapp-sim/game-sdk/dist')
    for (const file of await sources(sdkDist)) expect(await readFile(path.join(sdkDist, file), 'utf8')).not.toMatch(/@superapp-sim\/simulator|simulator\/src/)
    console.info(
      `installed size: game-sdk ${((await folderSize(path.join(project, 'node_modules/@superapp-sim/game-sdk'))) / 1024).toFixed(0)} KiB, ` +
        `simulator ${((await folderSize(path.join(project, 'node_modules/@superapp-sim/simulator'))) / 1024).toFixed(0)} KiB`,
    )
  })

  it.each(['game-sdk', 'simulator'] as const)('%s passes publint and @arethetypeswrong/cli (ESM only) on what npm packed', async (name) => {
    const tarball = name === 'game-sdk' ? tarballs.sdk : tarballs.simulator
    // publint reads the package folder as npm pack sees it (files, exports, types).
    const lint = await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/publint/src/cli.js'), '--strict', path.join(REPO_ROOT, name)], { cwd: REPO_ROOT }).catch((error: { stdout: string; stderr: string; code: number }) => error)
    expect('code' in lint ? `${lint.stdout}${lint.stderr}` : 'no problems').toBe('no problems')
    // attw resolves every entry from the tarball under node10, node16 (CJS and ESM) and bundler; ESM only by design.
    const types = await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: REPO_ROOT }).catch((error: { stdout: string; code: number }) => error)
    // It prints its resolution table either way; a problem is its exit code.
    expect('code' in types ? types.stdout : 'no problems', 'attw').toBe('no problems')
  })

  it.each(['bundler', 'node16'])('type-checks a consumer of every entry under moduleResolution %s', async (resolution) => {
    const tsc = path.join(project, 'node_modules/typescript/bin/tsc')
    const result = await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: project }).catch((error: { stdout: string }) => error)
    expect(result.stdout).toBe('')
  })

  it('buys one item under `npx superapp-sim exec -- node buy.mjs` and exits with its code', async () => {
    const { stdout, stderr } = await run('npx', ['superapp-sim', 'exec', '--port', '0', '--', 'node', 'buy.mjs'], { cwd: project })
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as { status: string; outTradeNo: string; delivered: string; productId: string }
    expect(outcome).toMatchObject({ status: 'paid', productId: 'golden_sword' })
    expect(outcome.delivered).toBe(outcome.outTradeNo)
    expect(stderr).toMatch(/\[superapp-sim\] simulator ready at http:\/\/127\.0\.0\.1:\d+/)
    // The command's exit code is exec's: a failing command fails the run.
    const failing = await run('npx', ['superapp-sim', 'exec', '--port', '0', '--', 'node', '-e', 'process.exit(3)'], { cwd: project }).catch((error: { code: number }) => error)
    expect((failing as { code: number }).code).toBe(3)
  })

  it("runs the QA guide's vitest suite (qa/) with the guide's vitest.config.ts, against the installed packages", async () => {
    const { stdout } = await run('npx', ['vitest', 'run', '--config', 'qa/vitest.config.ts'], { cwd: project, env: { ...process.env, CI: '1', NODE_OPTIONS: '' } })
    expect(stripVTControlCharacters(stdout)).toMatch(/Tests\s+1 passed/)
  })

  it("reports what a game's browser bundle takes from game-sdk, and that it carries nothing of Node or the server", async () => {
    const folder = path.join(project, 'sdk-size')
    await run(process.execPath, [path.join(project, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: folder, env: { ...process.env, NODE_OPTIONS: '' } })
    const assets = path.join(folder, 'dist/assets')
    const scripts = (await readdir(assets)).filter((file) => file.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    const code = (await Promise.all(scripts.map((file) => readFile(path.join(assets, file))))).map((b) => b.toString('utf8')).join('\n')
    expect(code).toContain('requestMidasPaymentGameItem')
    for (const serverOnly of ['node:crypto', 'node:http', 'express', 'createDeliveryHandler']) expect(code, serverOnly).not.toContain(serverOnly)
    console.info(`game-sdk in a game's browser bundle (getWx + createGamePayments, minified): ${(Buffer.byteLength(code) / 1024).toFixed(1)} KiB, ${(gzipSync(code).length / 1024).toFixed(1)} KiB gzipped`)
  })

  it('runs a Vite game with the plugin: the host shell frames the dev server and the game buys in Chromium', async () => {
    // Port 0 for both: the plugin prints the host shell URL, which names both ports.
    const vite: ChildProcess = spawn(process.execPath, [path.join(project, 'node_modules/vite/bin/vite.js'), '--port', '0'], {
      cwd: path.join(project, 'vite-game'),
      env: { ...process.env, SIM_PORT: '0', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    vite.stdout!.on('data', (chunk) => (output += chunk))
    vite.stderr!.on('data', (chunk) => (output += chunk))
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
    try {
      const hostShell = await new Promise<string>((resolve, reject) => {
        vite.stdout!.on('data', () => {
          const match = /Superapp host shell: (\S+)/.exec(output)
          if (match) resolve(match[1]!)
        })
        vite.once('exit', (code) => reject(new Error(`vite exited with ${code}:\n${output}`)))
      })
      const shellUrl = new URL(hostShell)
      const gameUrl = new URL(shellUrl.searchParams.get('game')!)
      expect(gameUrl.hostname).toBe('127.0.0.1')
      const vitePort = Number(gameUrl.port)
      const { SandboxControl } = await import('@superapp-sim/simulator')
      const { DEMO_GAME } = await import('@superapp-sim/simulator/fixtures')
      await new SandboxControl(`http://127.0.0.1:${shellUrl.port}`).configureDelivery(DEMO_GAME.appId, `http://127.0.0.1:${vitePort}/api/delivery`)

      const page = await browser.newPage()
      // Vite transforms the game on its first load: on a starved core that outlasts Playwright's 30 s default.
      page.setDefaultTimeout(HANG_GUARD_MS / 2)
      await page.goto(hostShell)
      const game = page.frameLocator('[data-testid="game-frame"]')
      await game.locator('body[data-ready="true"]').waitFor()
      await game.getByTestId('buy').click()
      await page.getByTestId('pay-confirm').click()
      await game.getByText('paid').waitFor()
      const paidAt = Date.now()
      await expect.poll(async () => (await (await fetch(`http://127.0.0.1:${vitePort}/api/granted`)).json()) as string[], { timeout: HANG_GUARD_MS / 2 }).toHaveLength(1)
      // A delivery that only got through on a retry (15 s and more later) passes, but says why the first attempts failed.
      if (Date.now() - paidAt > 10_000) console.warn(`the delivery reached the Vite game ${Date.now() - paidAt} ms after the payment; Vite's output:\n${output}`)
      // The production build is untouched: no drop-in script in it.
      await run(process.execPath, [path.join(project, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: path.join(project, 'vite-game'), env: { ...process.env, NODE_OPTIONS: '' } })
      expect(await readFile(path.join(project, 'vite-game/dist/index.html'), 'utf8')).not.toContain('/sdk/wx.js')
    } finally {
      await browser.close()
      vite.kill('SIGTERM')
    }
  })
})
