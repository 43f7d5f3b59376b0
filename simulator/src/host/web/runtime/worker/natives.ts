/**
 * What the runtime keeps of the worker before game code runs: once the worker's globals
 * are hidden (hiddenGlobals.ts) game code cannot reach these, and neither can the runtime
 * by name, so every module of the runtime takes them from here. This module is imported
 * first by the worker's entry.
 */
const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void
  addEventListener(type: string, listener: (event: never) => void): void
  fetch: typeof fetch
  XMLHttpRequest: typeof XMLHttpRequest
  createImageBitmap: typeof createImageBitmap
  OffscreenCanvas: typeof OffscreenCanvas
  OffscreenCanvasRenderingContext2D?: { prototype: OffscreenCanvasRenderingContext2D }
  WebGLRenderingContext?: { prototype: WebGLRenderingContext }
  WebGL2RenderingContext?: { prototype: WebGL2RenderingContext }
  FontFace: typeof FontFace
  fonts?: FontFaceSet
  structuredClone: typeof structuredClone
  queueMicrotask: typeof queueMicrotask
  requestAnimationFrame: typeof requestAnimationFrame
  Blob: typeof Blob
  URL: typeof URL
  TextDecoder: typeof TextDecoder
  TextEncoder: typeof TextEncoder
  atob: typeof atob
  btoa: typeof btoa
}

/** The worker's own global names, before the runtime added any: those a game may look for. */
function globalNames(): Set<string> {
  const names = new Set<string>()
  for (let level: object | null = globalThis; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) names.add(name)
  }
  return names
}

export const natives = {
  workerGlobals: globalNames(),
  postMessage: scope.postMessage.bind(scope),
  addEventListener: scope.addEventListener.bind(scope),
  fetch: scope.fetch.bind(scope),
  XMLHttpRequest: scope.XMLHttpRequest,
  createImageBitmap: scope.createImageBitmap.bind(scope),
  OffscreenCanvas: scope.OffscreenCanvas,
  contextPrototypes: [scope.OffscreenCanvasRenderingContext2D, scope.WebGLRenderingContext, scope.WebGL2RenderingContext].flatMap((c) => (c ? [c.prototype] : [])),
  FontFace: scope.FontFace,
  fonts: scope.fonts,
  structuredClone: scope.structuredClone.bind(scope),
  queueMicrotask: scope.queueMicrotask.bind(scope),
  requestAnimationFrame: scope.requestAnimationFrame.bind(scope),
  Blob: scope.Blob,
  URL: scope.URL,
  TextDecoder: scope.TextDecoder,
  TextEncoder: scope.TextEncoder,
  atob: scope.atob.bind(scope),
  btoa: scope.btoa.bind(scope),
}
