/**
 * The host shell's side of a mini game package: reads the package's configuration, hands
 * the shell's canvas to the runtime's worker (worker/runtime.ts) and serves it: touches,
 * visibility, wx.request through the simulator's relay, storage kept in IndexedDB, the
 * host's toast and modal, and the game's host calls answered by the shell's own handler.
 */
import './runtime.css'
import { CHANNEL_SOURCE, hostCallSchema, hostResult, type HostCall, type HostResultPayload } from '@superapp-sim/game-sdk'
import { LOCAL_PACKAGE_ROUTE, appIdOfProject, checkPackageSize, readGameJson, type ConfigCheck, type PackageManifest } from '../../minigameConfig'
import type { RelayResult } from '../../requestWire'
import type { BootMessage, PageToWorker, PanelLevel, RuntimeSystem, WorkerToPage } from './messages'
import { openPlayerStorage } from './playerStorage'
import { createShellDialogs } from './shellDialogs'
import { TouchTracker, type PointerSample } from './touchMapping'

/** A package found at a URL, with its configuration read. */
export interface PackageSource {
  /** Absolute, ending in '/'. */
  url: string
  check: ConfigCheck
  /** From project.config.json; undefined runs it as the shell's selected mini game. */
  appId?: string
  /** The folder's file list when the simulator serves it (`--package`): sizes known before it runs. */
  manifest?: PackageManifest
}

async function fetchText(url: string): Promise<string | undefined> {
  const response = await fetch(url, { cache: 'no-store' })
  if (response.status === 404) return undefined
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return response.text()
}

/**
 * The package the shell runs, if any: `?package=<url>`, else the folder of
 * `superapp-sim start --package`; none when a web game is asked for (`?game=<url>`).
 */
export async function packageToRun(query: URLSearchParams, sandboxBase: string): Promise<PackageSource | undefined> {
  if (query.get('game')) return undefined
  const url = query.get('package')
  if (url) return loadPackage(url)
  const local = await findLocalPackage(sandboxBase)
  return local && loadPackage(local.url, local.manifest)
}

/** The package the simulator serves from a folder (`superapp-sim start --package <dir>`), if any. */
async function findLocalPackage(sandboxBase: string): Promise<{ url: string; manifest: PackageManifest } | undefined> {
  const response = await fetch(`${sandboxBase}${LOCAL_PACKAGE_ROUTE}/manifest`, { cache: 'no-store' })
  if (response.status !== 200) return undefined
  return { url: new URL(`${sandboxBase}${LOCAL_PACKAGE_ROUTE}/files/`, location.href).href, manifest: (await response.json()) as PackageManifest }
}

/** Reads game.json and project.config.json of the package at `url`. */
async function loadPackage(url: string, manifest?: PackageManifest): Promise<PackageSource> {
  const base = new URL(url.endsWith('/') ? url : `${url}/`, location.href).href
  let gameJson: string | undefined
  let projectConfig: string | undefined
  try {
    ;[gameJson, projectConfig] = await Promise.all([fetchText(`${base}game.json`), fetchText(`${base}project.config.json`)])
  } catch (error) {
    const reason = error instanceof TypeError ? 'its server did not answer, or does not allow this page to read it (CORS)' : (error as Error).message
    const check = readGameJson(undefined)
    return { url: base, check: { ...check, errors: [`the package at ${base} could not be read: ${reason}`] } }
  }
  const check = readGameJson(gameJson)
  const project = appIdOfProject(projectConfig)
  if (project.error) check.errors.push(project.error)
  if (manifest) check.errors.push(...checkPackageSize(manifest.files, check.config.subpackages).errors)
  return { url: base, check, appId: project.appId, manifest }
}

export interface RunPackageOptions {
  source: PackageSource
  /** The phone's screen element: the game's canvas goes in it. */
  screen: HTMLElement
  appId: string
  playerId: string
  /** '' or '/sandbox/<name>'. */
  sandboxBase: string
  /** The shell's handler of a game's host call: the same one a framed web game gets. */
  answerHostCall(call: HostCall['payload']): Promise<HostResultPayload>
  log(kind: PanelLevel, what: string, detail: string): void
}

/** Shows the host's refusal of a package in place of the game. */
function refuse(screen: HTMLElement, errors: string[], log: RunPackageOptions['log']): void {
  const box = document.createElement('div')
  box.className = 'minigame-refused'
  box.dataset.testid = 'minigame-refused'
  const title = document.createElement('h2')
  title.textContent = 'The host refuses this package'
  const list = document.createElement('ul')
  for (const error of errors) {
    const item = document.createElement('li')
    item.textContent = error
    list.append(item)
    log('fail', '✗ package refused', error)
    console.error(`[superapp-sim] package refused: ${error}`)
  }
  box.append(title, list)
  screen.append(box)
}

const STATUS_BAR_HEIGHT = 24

/**
 * Runs a package in the shell's phone. Resolves once the runtime is started (or the
 * package refused); the game then runs on its own.
 */
export async function runPackage(options: RunPackageOptions): Promise<void> {
  const { source, screen, log } = options
  const { config, errors, warnings } = source.check
  for (const warning of warnings) log('info', '• package', warning)
  if (errors.length > 0) return refuse(screen, errors, log)

  screen.closest('.phone')?.classList.toggle('landscape', config.deviceOrientation !== 'portrait')
  const canvas = document.createElement('canvas')
  canvas.className = 'minigame-canvas'
  canvas.dataset.testid = 'minigame-canvas'
  screen.prepend(canvas)
  if (config.showStatusBar) {
    const bar = document.createElement('div')
    bar.className = 'minigame-status-bar'
    bar.innerHTML = '<span>9:41</span><span>▂▄▆ ▮</span>'
    screen.append(bar)
  }
  const windowWidth = screen.clientWidth
  const windowHeight = screen.clientHeight
  // The on-screen canvas starts at the window's size in CSS pixels, as on the device; the
  // game sets a larger drawing buffer for a sharp picture.
  canvas.width = windowWidth
  canvas.height = windowHeight
  const system: RuntimeSystem = {
    screenWidth: windowWidth,
    screenHeight: windowHeight,
    windowWidth,
    windowHeight,
    pixelRatio: window.devicePixelRatio || 1,
    statusBarHeight: STATUS_BAR_HEIGHT,
    language: navigator.language,
  }

  const storage = openPlayerStorage(`${options.sandboxBase || 'default'}|${options.appId}|${options.playerId}`)
  const stored = await storage.load().catch((error: unknown) => {
    log('fail', '✗ storage', `could not read the game's storage: ${(error as Error).message}`)
    return {}
  })

  const worker = new Worker(new URL('./worker/runtime.ts', import.meta.url), { type: 'module', name: `mini game ${options.appId}` })
  const send = (message: PageToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer)
  const dialogs = createShellDialogs(screen)
  const requests = new Map<number, AbortController>()

  async function relay(id: number, params: Record<string, unknown>): Promise<RelayResult> {
    const controller = new AbortController()
    requests.set(id, controller)
    try {
      const response = await fetch(`${options.sandboxBase}/host/api/request`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...params, appId: options.appId }),
        signal: controller.signal,
      })
      const answer = (await response.json().catch(() => undefined)) as RelayResult | { error?: { message?: string } } | undefined
      if (!response.ok || !answer || !('ok' in answer)) {
        const message = (answer as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${response.status}`
        return { ok: false, errMsg: `request:fail ${message}` }
      }
      return answer
    } catch (error) {
      return { ok: false, errMsg: controller.signal.aborted ? 'request:fail abort' : `request:fail ${(error as Error).message}` }
    } finally {
      requests.delete(id)
    }
  }

  async function serveCall(message: Extract<WorkerToPage, { type: 'CALL' }>): Promise<void> {
    const reply = (ok: boolean, result: Record<string, unknown>) => send({ type: 'REPLY', id: message.id, ok, result })
    const params = message.params
    switch (message.api) {
      case 'request': {
        const result = await relay(message.id, params)
        if (!result.ok) log('fail', `✗ wx.request ${String(params.method)} ${String(params.url)}`, `${result.errMsg}${result.hint ? `: ${result.hint}` : ''}`)
        return reply(true, result as unknown as Record<string, unknown>)
      }
      case 'abortRequest':
        requests.get(Number(params.id))?.abort()
        return
      case 'showToast':
        dialogs.showToast(params)
        return reply(true, {})
      case 'showLoading':
        dialogs.showLoading(params)
        return reply(true, {})
      case 'hideToast':
      case 'hideLoading':
        dialogs.hide()
        return reply(true, {})
      case 'showModal':
        return reply(true, await dialogs.showModal(params))
    }
  }

  worker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as WorkerToPage | { source?: unknown }
    if ((data as { source?: unknown }).source === CHANNEL_SOURCE) {
      const parsed = hostCallSchema.safeParse(data)
      if (!parsed.success) return
      void options.answerHostCall(parsed.data.payload).then((result) => worker.postMessage(hostResult(result)))
      return
    }
    const message = data as WorkerToPage
    switch (message.type) {
      case 'CALL':
        void serveCall(message)
        return
      case 'STORAGE': {
        const write = message.op === 'set' ? storage.set(message.key, message.value) : message.op === 'remove' ? storage.remove(message.key) : storage.clear()
        void write.catch((error: unknown) => log('fail', '✗ storage', `a write was lost: ${(error as Error).message}`))
        return
      }
      case 'PANEL':
        log(message.level, message.what, message.detail)
        if (message.level === 'fail') console.error(`[mini game] ${message.what}: ${message.detail}`)
        return
      case 'STARTED':
        screen.dataset.minigame = 'started'
        return
      case 'FATAL':
        worker.terminate()
        canvas.remove()
        refuse(screen, [message.message], log)
        return
    }
  })
  worker.addEventListener('error', (event) => log('fail', '✗ mini game runtime', event.message || 'the runtime worker could not start'))

  const tracker = new TouchTracker(() => ({ box: canvas.getBoundingClientRect(), windowWidth, windowHeight }))
  const sample = (event: PointerEvent): PointerSample => ({ pointerId: event.pointerId, clientX: event.clientX, clientY: event.clientY, pressure: event.pressure })
  const sendTouch = (data: ReturnType<TouchTracker['start']> | undefined, event: PointerEvent) => {
    if (data) send({ type: 'TOUCH', ...data, timeStamp: Math.round(event.timeStamp) })
  }
  canvas.addEventListener('pointerdown', (event) => {
    event.preventDefault()
    // Moves and the lift reach the canvas even when the finger leaves it, as on a screen.
    canvas.setPointerCapture(event.pointerId)
    sendTouch(tracker.start(sample(event)), event)
  })
  canvas.addEventListener('pointermove', (event) => sendTouch(tracker.move(sample(event)), event))
  canvas.addEventListener('pointerup', (event) => sendTouch(tracker.end(sample(event)), event))
  canvas.addEventListener('pointercancel', (event) => sendTouch(tracker.end(sample(event), true), event))
  document.addEventListener('visibilitychange', () => send({ type: 'VISIBILITY', visible: document.visibilityState === 'visible' }))

  const offscreen = canvas.transferControlToOffscreen()
  const boot: BootMessage = {
    type: 'BOOT',
    packageBase: source.url,
    canvas: offscreen,
    config,
    system,
    appId: options.appId,
    storage: stored,
    launchQuery: Object.fromEntries(new URLSearchParams(new URLSearchParams(location.search).get('query') ?? '')),
    mainPackageBytes: source.manifest ? checkPackageSize(source.manifest.files, config.subpackages).mainBytes : undefined,
  }
  send(boot, [offscreen])
}
