/**
 * The mini game's global scope: the worker's own globals are taken away, so game code sees
 * what the device gives it (`wx`, `GameGlobal`, timers, `requestAnimationFrame`,
 * `console`, `performance`, the ECMAScript built-ins) and nothing of the browser.
 *
 * A hidden name is an accessor on the global object: it reads as `undefined` (so
 * `typeof window === 'undefined'` holds, as engine adapters test) and takes an assignment
 * (`GameGlobal.window = …`, after which it reads as that value). Game code reading one
 * that was never assigned is noted with its place, so an error thrown there can name it.
 */
import { PACKAGE_SOURCE_SCHEME } from '../messages'

/** ECMAScript's own globals (ES2025): always there, on the device too. */
const ECMASCRIPT_GLOBALS = [
  'globalThis', 'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Promise', 'Proxy', 'Reflect',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'JSON', 'Math', 'Intl', 'Atomics', 'Iterator',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'SuppressedError',
  'DisposableStack', 'AsyncDisposableStack',
]

/** The mini game platform's globals besides `wx` and `GameGlobal` (lib.wx.api.d.ts declares these). */
const PLATFORM_GLOBALS = ['console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance']

/** Set by the runtime itself. */
export const RUNTIME_GLOBALS = ['wx', 'GameGlobal']

/** Names of a web page a game may reach for that a worker does not have either: hidden the same way. */
const WEB_PAGE_NAMES = [
  'window', 'document', 'Image', 'Audio', 'localStorage', 'sessionStorage', 'screen', 'devicePixelRatio', 'innerWidth', 'innerHeight',
  'alert', 'confirm', 'prompt', 'parent', 'top', 'frames', 'history', 'open', 'DOMParser', 'global', 'process',
  'HTMLElement', 'HTMLCanvasElement', 'HTMLImageElement', 'HTMLVideoElement', 'HTMLAudioElement', 'Element', 'Node', 'TouchEvent', 'MouseEvent', 'PointerEvent', 'KeyboardEvent',
]

/** A name that belongs to the web platform, not to the game: its absence is the runtime's, not a bug of the game. */
export function isWebPlatformName(name: string): boolean {
  return WEB_PAGE_NAMES.includes(name) || /^(HTML|SVG|CSS|DOM|Web|Media|Audio|Video|RTC|IDB|XR|GPU)[A-Z]/.test(name)
}

/** A read of a hidden name by game code, never assigned at that time. */
export interface HiddenRead {
  name: string
  file: string
  line: number
  column: number
}

/** The first frame of a stack that runs package code: `minigame:///game.js:12:5`. */
export function packageFrame(stack: string | undefined): { file: string; line: number; column: number } | undefined {
  if (!stack) return undefined
  const escaped = PACKAGE_SOURCE_SCHEME.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`${escaped}([^\\s:)]+):(\\d+):(\\d+)`).exec(stack)
  return match ? { file: match[1]!, line: Number(match[2]), column: Number(match[3]) } : undefined
}

/** What to use instead, said in the message a developer reads. */
function adviceFor(name: string): string {
  if (name === 'fetch' || name === 'XMLHttpRequest' || name === 'WebSocket') return 'Use wx.request to call your server.'
  if (name === 'localStorage' || name === 'sessionStorage' || name === 'indexedDB') return 'Use wx.setStorageSync / wx.getStorageSync.'
  if (name === 'Image') return 'Use wx.createImage().'
  if (name === 'navigator' || name === 'location' || name === 'screen' || name === 'devicePixelRatio' || name === 'innerWidth' || name === 'innerHeight') {
    return 'Use wx.getSystemInfoSync() and wx.getLaunchOptionsSync().'
  }
  if (name === 'self' || name === 'window' || name === 'global') return 'The global object is GameGlobal.'
  return 'Draw on wx.createCanvas(), load images with wx.createImage(), take input from wx.onTouchStart; an engine needs its mini game adapter.'
}

/**
 * The message a developer reads when game code failed on something the runtime does not
 * have, or undefined when the error is the game's own.
 *
 * @param reads recent reads of hidden names, oldest first
 */
export function explainError(error: unknown, reads: readonly HiddenRead[]): string | undefined {
  if (!(error instanceof Error)) return undefined
  const where = packageFrame(error.stack)
  const place = where ? ` (${where.file}:${where.line})` : ''
  const name = (() => {
    const notDefined = /^(\w+) is not defined$/.exec(error.message)
    if (error.name === 'ReferenceError' && notDefined && isWebPlatformName(notDefined[1]!)) return notDefined[1]!
    if (error.name !== 'TypeError' || !where) return undefined
    // The read that fed the failing expression: same line, at or before the failing column.
    const candidates = reads.filter((r) => r.file === where.file && r.line === where.line && r.column <= where.column)
    return candidates.sort((a, b) => b.column - a.column)[0]?.name
  })()
  if (!name) return undefined
  return `${name} is not available in a mini game: the host runs game code without a DOM or a browser window, only wx and GameGlobal. ${adviceFor(name)}${place} [${error.name}: ${error.message}]`
}

export interface HiddenGlobals {
  /** Reads of hidden names by game code, oldest first (the last 50). */
  readonly reads: readonly HiddenRead[]
  /** Names hidden. */
  readonly names: readonly string[]
}

/**
 * Hides every global of `scope` (and its prototype chain) that the platform does not
 * have, the runtime's own libraries' globals too (a game's copy of a library then sets
 * its own). Call once, after the runtime has kept what it needs (natives.ts).
 * `reported` picks the names whose first read is worth telling the developer about.
 */
export function hideGlobals(scope: object, options: { onFirstRead?: (read: HiddenRead) => void; reported?: (name: string) => boolean } = {}): HiddenGlobals {
  const keep = new Set([...ECMASCRIPT_GLOBALS, ...PLATFORM_GLOBALS, ...RUNTIME_GLOBALS])
  const names = new Set<string>(WEB_PAGE_NAMES)
  for (let level: object | null = scope; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) names.add(name)
  }
  // 'constructor' reads through to Object's; the rest are the worker's own.
  names.delete('constructor')
  for (const name of keep) names.delete(name)

  const reads: HiddenRead[] = []
  const named = new Set<string>()
  const hidden: string[] = []
  for (const name of names) {
    const own = Object.getOwnPropertyDescriptor(scope, name)
    if (own && !own.configurable) continue
    let assigned = false
    let value: unknown
    Object.defineProperty(scope, name, {
      configurable: true,
      enumerable: false,
      get() {
        if (assigned) return value
        const frame = packageFrame(new Error().stack)
        if (frame) {
          reads.push({ name, ...frame })
          if (reads.length > 50) reads.shift()
          if (!named.has(name) && (options.reported?.(name) ?? true)) {
            named.add(name)
            options.onFirstRead?.({ name, ...frame })
          }
        }
        return undefined
      },
      set(next: unknown) {
        assigned = true
        value = next
      },
    })
    hidden.push(name)
  }
  return { reads, names: hidden }
}
