/**
 * The mini game runtime: a dedicated worker that runs a package's game.js the way the
 * host's JavaScript VM does, with `wx` and `GameGlobal` and no DOM. The host shell page
 * starts it (../hostSide.ts) and sends BOOT; messages are in ../messages.ts.
 */
import { natives } from './natives'
import { CHANNEL_SOURCE, hostCall, hostResultSchema, type HostApi, type HostResultPayload, type HostTransport } from '@superapp-sim/game-sdk'
import { createWx } from '@superapp-sim/game-sdk'
import { MAIN_PACKAGE_LIMIT_BYTES, checkPackageSize, findSubpackage, subpackageOf, type MiniGameConfig } from '../../../minigameConfig'
import type { RelayResult } from '../../../requestWire'
import { PACKAGE_SOURCE_SCHEME, type BootMessage, type PageToWorker, type PanelLevel, type RuntimeCallApi, type WorkerToPage } from '../messages'
import { Listeners, deliver, failed, ok, runAsync } from './callbacks'
import { createModuleLoader, normalizePath, type ModuleFunction } from './commonjs'
import { MiniGameImage, createCanvasFactory, createFontLoader, createFrameScheduler, patchContextsForImages } from './graphics'
import { explainError, hideGlobals, isWebPlatformName, type HiddenGlobals } from './hiddenGlobals'
import { createRequest } from './network'
import { createStorage } from './storage'
import type { WxSystemInfo, WxWindowInfo } from './wechatTypes'
import { errorMessage } from '@superapp-sim/game-sdk'

const post = (message: WorkerToPage, transfer: Transferable[] = []) => natives.postMessage(message, transfer)
const panel = (level: PanelLevel, what: string, detail = '') => post({ type: 'PANEL', level, what, detail })

// Calls to the page that wait for an answer (wx.request, wx.showModal…), by id.
let nextCallId = 1
const pendingCalls = new Map<number, (reply: { ok: boolean; result: Record<string, unknown> }) => void>()
function callPage(api: RuntimeCallApi, params: Record<string, unknown>): { id: number; reply: Promise<{ ok: boolean; result: Record<string, unknown> }> } {
  const id = nextCallId++
  const reply = new Promise<{ ok: boolean; result: Record<string, unknown> }>((resolve) => pendingCalls.set(id, resolve))
  post({ type: 'CALL', id, api, params })
  return { id, reply }
}

// The game's host calls travel as game-sdk's HOST_CALL envelope, answered with HOST_RESULT.
const pendingHostCalls = new Map<string, (payload: HostResultPayload) => void>()
let nextHostCall = 0
const hostTransport: HostTransport = {
  call(api: HostApi, params: Record<string, unknown>) {
    const callId = `rt-${(nextHostCall++).toString(36)}`
    return new Promise<HostResultPayload>((resolve) => {
      pendingHostCalls.set(callId, resolve)
      // Params cross by structured clone: functions a game may leave in them are dropped.
      post(hostCall(callId, api, JSON.parse(JSON.stringify(params)) as Record<string, unknown>) as unknown as WorkerToPage)
    })
  },
}

const touchListeners = { touchstart: new Listeners<unknown>(), touchmove: new Listeners<unknown>(), touchend: new Listeners<unknown>(), touchcancel: new Listeners<unknown>() }
const showListeners = new Listeners<unknown>()
const hideListeners = new Listeners<unknown>()
const errorListeners = new Listeners<{ message: string; stack: string }>()
const rejectionListeners = new Listeners<{ reason: unknown; promise: unknown }>()
let launchOptions: { scene: number; query: Record<string, string>; referrerInfo: Record<string, never> } = { scene: 1001, query: {}, referrerInfo: {} }
let hidden: HiddenGlobals | undefined
let booted = false

natives.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as PageToWorker | { source?: unknown; type?: unknown }
  if ((data as { source?: unknown }).source === CHANNEL_SOURCE) {
    const parsed = hostResultSchema.safeParse(data)
    if (!parsed.success) return
    const resolve = pendingHostCalls.get(parsed.data.payload.callId)
    pendingHostCalls.delete(parsed.data.payload.callId)
    resolve?.(parsed.data.payload)
    return
  }
  const message = data as PageToWorker
  switch (message.type) {
    case 'BOOT':
      if (!booted) {
        booted = true
        boot(message)
      }
      return
    case 'TOUCH':
      touchListeners[message.kind].emit({ touches: message.touches, changedTouches: message.changedTouches, timeStamp: message.timeStamp })
      return
    case 'VISIBILITY':
      if (message.visible) showListeners.emit({ ...launchOptions })
      else hideListeners.emit({})
      return
    case 'REPLY': {
      const resolve = pendingCalls.get(message.id)
      pendingCalls.delete(message.id)
      resolve?.({ ok: message.ok, result: message.result })
      return
    }
  }
})

/** An uncaught error of game code: named when it comes from something the runtime lacks. */
function reportGameError(error: unknown, kind: 'error' | 'unhandled rejection'): void {
  const explained = explainError(error, hidden?.reads ?? [])
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  if (explained) console.error(`[superapp-sim] ${explained}`)
  panel('fail', explained ? `✗ ${explained.split(':')[0]}` : `✗ game ${kind}`, explained ?? text)
  if (kind === 'error') errorListeners.emit({ message: text, stack: error instanceof Error ? (error.stack ?? text) : text })
}
natives.addEventListener('error', (event: ErrorEvent) => reportGameError(event.error ?? new Error(event.message), 'error'))
natives.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  rejectionListeners.emit({ reason: event.reason, promise: event.promise })
  reportGameError(event.reason, 'unhandled rejection')
})

function boot(message: BootMessage): void {
  const { config, system, packageBase } = message
  const base = new natives.URL(packageBase)
  launchOptions = { scene: 1001, query: { ...message.launchQuery }, referrerInfo: {} }

  // Bytes of the main package, counted as files load when the shell had no list of them.
  let countedMainBytes = 0
  const counted = new Set<string>()
  const countMain = (path: string, bytes: number) => {
    if (message.mainPackageBytes !== undefined || counted.has(path) || subpackageOf(path, config.subpackages)) return
    counted.add(path)
    countedMainBytes += bytes
    if (countedMainBytes > MAIN_PACKAGE_LIMIT_BYTES) {
      post({ type: 'FATAL', message: checkPackageSize([{ path: 'main package', bytes: countedMainBytes }], []).errors[0]! })
    }
  }

  const loadedSubpackages = new Set<string>()
  /** A file's place in the package, or undefined when it is in a subpackage not loaded yet (as on the device). */
  const packagePath = (path: string): string | undefined => {
    const normalized = normalizePath(path)
    if (normalized === undefined) return undefined
    const owner = subpackageOf(normalized, config.subpackages)
    return owner && !loadedSubpackages.has(owner.name) ? undefined : normalized
  }

  function readFile(path: string, binary: boolean): string | ArrayBuffer | undefined {
    const normalized = packagePath(path)
    if (normalized === undefined) return undefined
    const xhr = new natives.XMLHttpRequest()
    xhr.open('GET', new natives.URL(normalized, base).href, false)
    if (binary) xhr.responseType = 'arraybuffer'
    xhr.send()
    // A dev server answering every path with its index page has no such file either.
    if (xhr.status === 404 || (xhr.getResponseHeader('content-type') ?? '').startsWith('text/html')) return undefined
    if (xhr.status !== 200) throw new Error(`could not load ${normalized} from the package: HTTP ${xhr.status}`)
    const content = binary ? (xhr.response as ArrayBuffer) : xhr.responseText
    countMain(normalized, binary ? (content as ArrayBuffer).byteLength : new natives.Blob([content as string]).size)
    return content
  }

  const loader = createModuleLoader({
    read: (path) => readFile(path, false) as string | undefined,
    compile(code, path) {
      // One line of wrapper before the code: line numbers in stack traces are the file's own.
      return (0, eval)(`(function (require, module, exports) {${code}\n})\n//# sourceURL=${PACKAGE_SOURCE_SCHEME}${path}`) as ModuleFunction
    },
  })

  async function loadBitmap(src: string): Promise<ImageBitmap> {
    const absolute = /^(https?:|data:|blob:)/i.test(src)
    const path = absolute ? undefined : packagePath(src)
    if (!absolute && path === undefined) throw new Error(`${src} is not a file of the package (or its subpackage is not loaded)`)
    const response = await natives.fetch(absolute ? src : new natives.URL(path!, base).href)
    if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`)
    const blob = await response.blob()
    if (path) countMain(path, blob.size)
    return natives.createImageBitmap(blob)
  }

  patchContextsForImages()
  const canvases = createCanvasFactory(message.canvas, { width: system.windowWidth, height: system.windowHeight })
  const frames = createFrameScheduler()
  const storage = createStorage(message.storage, (change) => post({ type: 'STORAGE', ...change }))
  const notes = new Set<string>()
  const request = createRequest(
    {
      send(relay) {
        const { id, reply } = callPage('request', relay)
        return { id, reply: reply.then((answer) => answer.result as unknown as RelayResult) }
      },
      abort: (id) => post({ type: 'CALL', id: nextCallId++, api: 'abortRequest', params: { id } }),
    },
    () => config.requestTimeoutMs,
    (note) => {
      if (notes.has(note)) return
      notes.add(note)
      panel('info', '• wx.request', note)
    },
  )

  const wx = buildWx({ config, system, message, canvases, frames, storage, request, loader, loadBitmap, readFile, loadedSubpackages })

  // From here on, game code's world: wx, GameGlobal, and nothing of the worker.
  const scope = globalThis as unknown as Record<string, unknown>
  for (const [name, value] of Object.entries({ requestAnimationFrame: frames.requestAnimationFrame, cancelAnimationFrame: frames.cancelAnimationFrame })) {
    Object.defineProperty(scope, name, { value, writable: true, configurable: true, enumerable: true })
  }
  Object.defineProperty(scope, 'wx', { value: wx, writable: true, configurable: true, enumerable: true })
  Object.defineProperty(scope, 'GameGlobal', { value: globalThis, writable: true, configurable: true, enumerable: true })
  hidden = hideGlobals(globalThis, {
    // The browser's names a game may look for; not what the runtime's own libraries left there.
    reported: (name) => natives.workerGlobals.has(name) || isWebPlatformName(name),
    onFirstRead: (read) => panel('info', `• ${read.name} read by the game`, `${read.file}:${read.line}: a mini game has no ${read.name}; it reads as undefined (an adapter may define it on GameGlobal)`),
  })

  try {
    loader.run('game.js')
  } catch (error) {
    reportGameError(error, 'error')
  } finally {
    post({ type: 'STARTED' })
  }
}

interface WxParts {
  config: MiniGameConfig
  system: BootMessage['system']
  message: BootMessage
  canvases: ReturnType<typeof createCanvasFactory>
  frames: ReturnType<typeof createFrameScheduler>
  storage: ReturnType<typeof createStorage>
  request: ReturnType<typeof createRequest>
  loader: ReturnType<typeof createModuleLoader>
  loadBitmap: (src: string) => Promise<ImageBitmap>
  readFile: (path: string, binary: boolean) => string | ArrayBuffer | undefined
  loadedSubpackages: Set<string>
}

/** What the simulator's runtime reports for the device. */
const DEVICE = { brand: 'superapp-sim', model: 'Simulator', system: 'Android 14', platform: 'android' as const, version: '8.0.50', SDKVersion: '3.8.0', benchmarkLevel: 1 }

/** Names read on wx that are not functions or fields of it and must not be reported (promise checks, tooling). */
const NOT_API_READS = new Set(['then', 'toJSON', 'constructor', 'valueOf', 'toString', 'inspect', '$$typeof', '__esModule', 'nodeType', 'asymmetricMatch', 'prototype'])

function buildWx(parts: WxParts): Record<string, unknown> {
  const { config, system, canvases, frames, storage, request, loader, loadBitmap, readFile, loadedSubpackages } = parts
  const landscape = config.deviceOrientation !== 'portrait'
  const safeArea = { left: 0, right: system.windowWidth, top: system.statusBarHeight, bottom: system.windowHeight, width: system.windowWidth, height: system.windowHeight - system.statusBarHeight }
  const windowInfo = (): WxWindowInfo => ({
    pixelRatio: system.pixelRatio,
    screenWidth: system.screenWidth,
    screenHeight: system.screenHeight,
    windowWidth: system.windowWidth,
    windowHeight: system.windowHeight,
    statusBarHeight: system.statusBarHeight,
    safeArea: { ...safeArea },
    screenTop: 0,
  })
  const systemInfo = (): WxSystemInfo => ({
    ...DEVICE,
    ...windowInfo(),
    language: system.language,
    fontSizeSetting: 16,
    deviceOrientation: landscape ? 'landscape' : 'portrait',
    host: { appId: parts.message.appId },
    // Permissions a player would grant, and switches of the phone: none here.
    albumAuthorized: false,
    bluetoothEnabled: false,
    cameraAuthorized: false,
    enableDebug: false,
    locationAuthorized: false,
    locationEnabled: false,
    locationReducedAccuracy: false,
    microphoneAuthorized: false,
    notificationAlertAuthorized: false,
    notificationAuthorized: false,
    notificationBadgeAuthorized: false,
    notificationSoundAuthorized: false,
    phoneCalendarAuthorized: false,
    wifiEnabled: true,
    theme: 'light',
  })
  const modal = (api: 'showModal' | 'showToast' | 'showLoading' | 'hideToast' | 'hideLoading') => (option?: unknown) =>
    runAsync(api, option, async () => {
      const { reply } = callPage(api, JSON.parse(JSON.stringify(option ?? {})) as Record<string, unknown>)
      const answer = await reply
      return answer.ok ? ok(api, answer.result) : failed(api, String(answer.result.reason ?? 'failed'))
    })
  const loadFont = createFontLoader((path) => readFile(path, true) as ArrayBuffer | undefined)

  const api: Record<string, unknown> = {
    ...createWx(hostTransport),
    createCanvas: () => canvases.createCanvas(),
    createImage: () => new MiniGameImage(loadBitmap),
    loadFont,
    setPreferredFramesPerSecond: frames.setPreferredFramesPerSecond,
    getSystemInfoSync: systemInfo,
    getSystemInfo: (option?: unknown) => runAsync('getSystemInfo', option, () => ok('getSystemInfo', systemInfo())),
    getSystemInfoAsync: (option?: unknown) => runAsync('getSystemInfoAsync', option, () => ok('getSystemInfoAsync', systemInfo())),
    getWindowInfo: windowInfo,
    getDeviceInfo: () => ({ brand: DEVICE.brand, model: DEVICE.model, system: DEVICE.system, platform: DEVICE.platform, benchmarkLevel: DEVICE.benchmarkLevel }),
    getAppBaseInfo: () => ({ SDKVersion: DEVICE.SDKVersion, version: DEVICE.version, language: system.language, fontSizeSetting: 16, theme: 'light', host: { appId: parts.message.appId } }),
    getMenuButtonBoundingClientRect: () => {
      // The capsule the shell draws at the top right.
      const top = system.statusBarHeight + 4
      return { width: 87, height: 32, top, bottom: top + 32, right: system.windowWidth - 7, left: system.windowWidth - 94 }
    },
    getLaunchOptionsSync: () => ({ ...launchOptions, query: { ...launchOptions.query } }),
    getEnterOptionsSync: () => ({ ...launchOptions, query: { ...launchOptions.query } }),
    onShow: showListeners.on,
    offShow: showListeners.off,
    onHide: hideListeners.on,
    offHide: hideListeners.off,
    onError: errorListeners.on,
    offError: errorListeners.off,
    onUnhandledRejection: rejectionListeners.on,
    offUnhandledRejection: rejectionListeners.off,
    onTouchStart: touchListeners.touchstart.on,
    offTouchStart: touchListeners.touchstart.off,
    onTouchMove: touchListeners.touchmove.on,
    offTouchMove: touchListeners.touchmove.off,
    onTouchEnd: touchListeners.touchend.on,
    offTouchEnd: touchListeners.touchend.off,
    onTouchCancel: touchListeners.touchcancel.on,
    offTouchCancel: touchListeners.touchcancel.off,
    request,
    ...storage,
    showToast: modal('showToast'),
    hideToast: modal('hideToast'),
    showLoading: modal('showLoading'),
    hideLoading: modal('hideLoading'),
    showModal: modal('showModal'),
    loadSubpackage(option: unknown) {
      const o = (option && typeof option === 'object' ? option : {}) as Record<string, unknown>
      const progress = new Listeners<unknown>()
      const task = { onProgressUpdate: progress.on, offProgressUpdate: progress.off }
      void Promise.resolve().then(() => {
        const subpackage = typeof o.name === 'string' ? findSubpackage(o.name, config.subpackages) : undefined
        if (!subpackage) return deliver(option, failed('loadSubpackage', `subpackage "${String(o.name)}" is not declared in game.json "subpackages"`))
        if (loadedSubpackages.has(subpackage.name)) return deliver(option, ok('loadSubpackage'))
        loadedSubpackages.add(subpackage.name)
        try {
          loader.run(subpackage.entry)
        } catch (error) {
          loadedSubpackages.delete(subpackage.name)
          return deliver(option, failed('loadSubpackage', errorMessage(error)))
        }
        progress.emit({ progress: 100, totalBytesWritten: 0, totalBytesExpectedToWrite: 0 })
        deliver(option, ok('loadSubpackage'))
      })
      return task
    },
    getPerformance: () => ({ now: () => performance.now() }),
    triggerGC: () => {},
    arrayBufferToBase64: (buffer: ArrayBuffer) => {
      let text = ''
      for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte)
      return natives.btoa(text)
    },
    base64ToArrayBuffer: (text: string) => Uint8Array.from(natives.atob(text), (c) => c.charCodeAt(0)).buffer,
    env: { USER_DATA_PATH: 'wxfile://usr' },
  }
  api.canIUse = (schema: unknown) => typeof schema === 'string' && typeof api[schema.split('.')[0]!] !== 'undefined'

  const reported = new Set<string>()
  return new Proxy(api, {
    get(target, name, receiver) {
      if (typeof name === 'string' && !(name in target) && !NOT_API_READS.has(name) && !reported.has(name)) {
        reported.add(name)
        panel('info', `• wx.${name} is not provided`, `the simulator's runtime has no wx.${name}: the game sees undefined and wx.canIUse('${name}') is false. Supported APIs: docs/minigame-runtime.md`)
      }
      return Reflect.get(target, name, receiver)
    },
  })
}
