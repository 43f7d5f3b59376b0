/**
 * A mini game package's own configuration, read and checked as the host reads it:
 * `game.json` (WeChat mini game reference "Mini Game Configuration") and the developer
 * tools' `project.config.json` (only its `appid` matters here), and the package size
 * limits. Browser-safe: the host shell checks packages loaded by URL, the server checks
 * package folders.
 */
import { z } from 'zod'

/** The main package: game.js and everything outside the subpackages (WeChat, SAS: 4 MB). */
export const MAIN_PACKAGE_LIMIT_BYTES = 4 * 1024 * 1024
/** The whole package, main and subpackages together (WeChat's current limit: 30 MB). */
export const TOTAL_PACKAGE_LIMIT_BYTES = 30 * 1024 * 1024
/** networkTimeout's default and its ceiling: "the default and maximum timeout are 60 s" (SAS, Network). */
export const NETWORK_TIMEOUT_MAX_MS = 60_000

/** Developer-tools files that are not part of the uploaded package. */
const PROJECT_FILES = new Set(['project.config.json', 'project.private.config.json'])

export const DEVICE_ORIENTATIONS = ['portrait', 'landscape', 'landscapeLeft', 'landscapeRight'] as const
export type DeviceOrientation = (typeof DEVICE_ORIENTATIONS)[number]

const timeout = z.number().int().positive()
const subpackageSchema = z.looseObject({
  name: z.string().min(1).optional(),
  root: z.string().min(1),
  independent: z.boolean().optional(),
})

/** game.json as the host reads it; other keys are kept (the file has many). */
export const gameJsonSchema = z.looseObject({
  deviceOrientation: z.enum(DEVICE_ORIENTATIONS).default('portrait'),
  showStatusBar: z.boolean().default(false),
  networkTimeout: z
    .looseObject({ request: timeout.optional(), connectSocket: timeout.optional(), uploadFile: timeout.optional(), downloadFile: timeout.optional() })
    .optional(),
  subpackages: z.array(subpackageSchema).optional(),
  // "写成 subPackages 也支持": both spellings are accepted.
  subPackages: z.array(subpackageSchema).optional(),
})

/** A subpackage with its entry file resolved. */
export interface Subpackage {
  name: string
  /** The folder (`stage1/`) or file (`stage1.js`) of the subpackage, without a leading ./ or /. */
  root: string
  /** The file run when it loads: `<root>/game.js` for a folder, the root itself for a .js file. */
  entry: string
  independent: boolean
}

/** What the runtime needs of game.json, checked. */
export interface MiniGameConfig {
  deviceOrientation: DeviceOrientation
  showStatusBar: boolean
  /** wx.request's timeout in ms (game.json networkTimeout.request, at most 60 s). */
  requestTimeoutMs: number
  subpackages: Subpackage[]
}

/** The outcome of reading a package's configuration: what runs, and what the host would say. */
export interface ConfigCheck {
  config: MiniGameConfig
  /** The host would refuse the package: it does not start. */
  errors: string[]
  /** It starts, but something in it will not behave as the developer may think. */
  warnings: string[]
}

/** Keys of game.json the simulator's runtime reads but does not act on. */
const NOT_SIMULATED: Record<string, string> = {
  workers: 'workers (wx.createWorker) are not supported by the simulator',
  openDataContext: 'the open data context (wx.getOpenDataContext) is not supported by the simulator',
  parallelPreloadSubpackages: 'parallelPreloadSubpackages is ignored: subpackages load when wx.loadSubpackage asks',
}

function normalizeRoot(root: string): string {
  return root.replace(/^\.?\/+/, '')
}

/**
 * Reads game.json (its text, or undefined when the package has none). Problems are
 * collected, not thrown, so the shell can show them all.
 *
 * @example
 * const { config, errors } = readGameJson('{"deviceOrientation":"landscape"}')
 * // config.deviceOrientation === 'landscape', errors = []
 */
export function readGameJson(text: string | undefined): ConfigCheck {
  const errors: string[] = []
  const warnings: string[] = []
  const fallback: MiniGameConfig = { deviceOrientation: 'portrait', showStatusBar: false, requestTimeoutMs: NETWORK_TIMEOUT_MAX_MS, subpackages: [] }
  if (text === undefined) {
    return { config: fallback, errors: ['the package has no game.json: a mini game package needs game.json beside game.js'], warnings }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return { config: fallback, errors: [`game.json is not valid JSON: ${(error as Error).message}`], warnings }
  }
  const parsed = gameJsonSchema.safeParse(raw)
  if (!parsed.success) {
    return { config: fallback, errors: [`game.json: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`], warnings }
  }
  const json = parsed.data
  for (const [key, note] of Object.entries(NOT_SIMULATED)) if (key in json) warnings.push(`game.json ${note}`)

  let requestTimeoutMs = json.networkTimeout?.request ?? NETWORK_TIMEOUT_MAX_MS
  if (requestTimeoutMs > NETWORK_TIMEOUT_MAX_MS) {
    warnings.push(`game.json networkTimeout.request is ${requestTimeoutMs} ms: the host caps it at ${NETWORK_TIMEOUT_MAX_MS} ms`)
    requestTimeoutMs = NETWORK_TIMEOUT_MAX_MS
  }

  if (json.subpackages && json.subPackages) errors.push('game.json has both "subpackages" and "subPackages": keep one')
  const subpackages: Subpackage[] = []
  for (const declared of json.subpackages ?? json.subPackages ?? []) {
    const root = normalizeRoot(declared.root)
    const isFile = root.endsWith('.js')
    const folder = isFile ? root : root.replace(/\/*$/, '/')
    const name = declared.name ?? folder.replace(/\/$/, '')
    if (!root || root === '/') {
      errors.push(`game.json subpackage "${name}": root must name a folder or a .js file inside the package`)
      continue
    }
    if (subpackages.some((s) => s.name === name)) errors.push(`game.json: two subpackages are named "${name}"`)
    const overlapping = subpackages.find((s) => folder.startsWith(s.root) || s.root.startsWith(folder))
    if (overlapping) errors.push(`game.json: subpackage roots "${overlapping.root}" and "${folder}" overlap: each file belongs to one package`)
    subpackages.push({ name, root: folder, entry: isFile ? folder : `${folder}game.js`, independent: declared.independent ?? false })
  }
  return { config: { deviceOrientation: json.deviceOrientation, showStatusBar: json.showStatusBar, requestTimeoutMs, subpackages }, errors, warnings }
}

/** The subpackage a package file belongs to, or undefined for the main package. */
export function subpackageOf(path: string, subpackages: readonly Subpackage[]): Subpackage | undefined {
  const file = normalizeRoot(path)
  return subpackages.find((s) => (s.root.endsWith('.js') ? file === s.root : file.startsWith(s.root)))
}

/** The subpackage wx.loadSubpackage({ name }) means: by name or by root, as the platform accepts both. */
export function findSubpackage(nameOrRoot: string, subpackages: readonly Subpackage[]): Subpackage | undefined {
  const wanted = normalizeRoot(nameOrRoot)
  return subpackages.find((s) => s.name === nameOrRoot || s.root === wanted || s.root === `${wanted.replace(/\/*$/, '')}/`)
}

export interface PackageFile {
  /** Path inside the package, `/`-separated, no leading slash. */
  path: string
  bytes: number
}

/** What the simulator serves about a package folder (`superapp-sim start --package <dir>`). */
export interface PackageManifest {
  /** The folder as given on the command line, for messages. */
  folder: string
  files: PackageFile[]
}

/**
 * Where the simulator serves a package folder: `<route>/manifest` (its PackageManifest) and
 * `<route>/files/<path>` (its files); the host shell runs it when no other game is asked for.
 */
export const LOCAL_PACKAGE_ROUTE = '/host/package'

export interface PackageSize {
  mainBytes: number
  totalBytes: number
  errors: string[]
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`

/**
 * The package's sizes as the host counts them, and its refusal when they are over the
 * limits: the developer tools refuse to upload such a package (error 80051), so the
 * simulator refuses to run it.
 */
export function checkPackageSize(files: readonly PackageFile[], subpackages: readonly Subpackage[]): PackageSize {
  let mainBytes = 0
  let totalBytes = 0
  for (const file of files) {
    if (PROJECT_FILES.has(file.path)) continue
    totalBytes += file.bytes
    if (!subpackageOf(file.path, subpackages)) mainBytes += file.bytes
  }
  const errors: string[] = []
  if (mainBytes > MAIN_PACKAGE_LIMIT_BYTES) {
    errors.push(
      `main package source size ${kb(mainBytes)} exceeds the host's limit of 4 MB (${kb(MAIN_PACKAGE_LIMIT_BYTES)}): the host refuses it (error 80051 on upload). Move code and assets into subpackages (game.json "subpackages") and load them with wx.loadSubpackage.`,
    )
  }
  if (totalBytes > TOTAL_PACKAGE_LIMIT_BYTES) {
    errors.push(`package source size ${kb(totalBytes)} exceeds the host's limit of 30 MB for main package and subpackages together: the host refuses it.`)
  }
  return { mainBytes, totalBytes, errors }
}

/** Names of project.config.json's appid that mean "no mini game of my own" (WeChat's tourist mode). */
const NO_APPID = new Set(['', 'touristappid'])

/** The mini game a package says it is (project.config.json `appid`), or undefined. */
export function appIdOfProject(text: string | undefined): { appId?: string; error?: string } {
  if (text === undefined) return {}
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return { error: `project.config.json is not valid JSON: ${(error as Error).message}` }
  }
  const appid = (raw as { appid?: unknown } | null)?.appid
  if (appid === undefined || (typeof appid === 'string' && NO_APPID.has(appid.trim()))) return {}
  if (typeof appid !== 'string') return { error: 'project.config.json "appid" must be a string' }
  return { appId: appid.trim() }
}
