/**
 * Rendering for game code: wx.createCanvas (the shell's canvas first, then off-screen
 * ones), wx.createImage (an image object that 2d and WebGL contexts draw), wx.loadFont,
 * and requestAnimationFrame under wx.setPreferredFramesPerSecond.
 */
import { natives } from './natives'
import { errorMessage } from '@superapp-sim/game-sdk'

/** What wx.createImage() returns: the platform's Image (src, width, height, onload, onerror). */
export class MiniGameImage {
  width = 0
  height = 0
  complete = false
  onload: ((event?: unknown) => void) | null = null
  onerror: ((event?: unknown) => void) | null = null
  /** The decoded picture, once loaded: what the patched contexts draw. */
  bitmap: ImageBitmap | undefined
  private source = ''
  private generation = 0

  constructor(private readonly load: (src: string) => Promise<ImageBitmap>) {}

  get src(): string {
    return this.source
  }

  set src(value: string) {
    this.source = String(value ?? '')
    this.complete = false
    const generation = ++this.generation
    if (!this.source) return
    this.load(this.source).then(
      (bitmap) => {
        // A newer src was set meanwhile: this answer is stale.
        if (generation !== this.generation) return bitmap.close()
        this.bitmap?.close()
        this.bitmap = bitmap
        this.width = bitmap.width
        this.height = bitmap.height
        this.complete = true
        this.onload?.call(this, { type: 'load', target: this })
      },
      (error: unknown) => {
        if (generation !== this.generation) return
        this.complete = true
        this.onerror?.call(this, { type: 'error', target: this, message: errorMessage(error) })
      },
    )
  }
}

/**
 * Teaches the canvas contexts to draw a MiniGameImage: 2d drawImage / createPattern and
 * WebGL texImage2D / texSubImage2D take its bitmap. An image not loaded yet draws nothing
 * in 2d, as a browser's does.
 */
export function patchContextsForImages(): void {
  const swap = (args: unknown[]) => args.map((arg) => (arg instanceof MiniGameImage ? arg.bitmap : arg))
  for (const prototype of natives.contextPrototypes) {
    const target = prototype as unknown as Record<string, (...args: unknown[]) => unknown>
    for (const method of ['drawImage', 'createPattern', 'texImage2D', 'texSubImage2D']) {
      const original = target[method]
      if (typeof original !== 'function') continue
      target[method] = function (this: unknown, ...args: unknown[]) {
        const image = args.find((arg) => arg instanceof MiniGameImage) as MiniGameImage | undefined
        if (image && !image.bitmap && method === 'drawImage') return undefined
        return original.apply(this, image ? swap(args) : args)
      }
    }
  }
}

export interface CanvasFactory {
  createCanvas(): OffscreenCanvas
}

/** The first call gives the on-screen canvas (the shell's), every later one an off-screen one. */
export function createCanvasFactory(onScreen: OffscreenCanvas, size: { width: number; height: number }): CanvasFactory {
  let first = true
  return {
    createCanvas() {
      if (first) {
        first = false
        return onScreen
      }
      return new natives.OffscreenCanvas(size.width, size.height)
    },
  }
}

/**
 * requestAnimationFrame as game code sees it: the worker's own, thinned out to the rate
 * asked with wx.setPreferredFramesPerSecond (1-60, default 60).
 */
export function createFrameScheduler() {
  let interval = 1000 / 60
  let last = 0
  let nextId = 0
  let looping = false
  const queue = new Map<number, (time: number) => void>()

  const loop = (now: number) => {
    // 1 ms of slack: vsync timestamps jitter around 16.67 ms.
    if (now - last >= interval - 1) {
      last = now
      const due = [...queue.values()]
      queue.clear()
      for (const callback of due) callback(now)
    }
    if (queue.size > 0) natives.requestAnimationFrame(loop)
    else looping = false
  }

  return {
    requestAnimationFrame(callback: unknown): number {
      if (typeof callback !== 'function') throw new TypeError('requestAnimationFrame expects a function')
      const id = ++nextId
      queue.set(id, callback as (time: number) => void)
      if (!looping) {
        looping = true
        natives.requestAnimationFrame(loop)
      }
      return id
    },
    cancelAnimationFrame(id: unknown): void {
      queue.delete(Number(id))
    },
    setPreferredFramesPerSecond(fps: unknown): void {
      const value = Math.min(60, Math.max(1, Number(fps) || 60))
      interval = 1000 / value
    },
  }
}

/**
 * wx.loadFont(path): loads a font file of the package synchronously and returns the family
 * name to use in `ctx.font`, or null when it cannot be loaded.
 */
export function createFontLoader(readBinary: (path: string) => ArrayBuffer | undefined) {
  let count = 0
  return (path: unknown): string | null => {
    if (typeof path !== 'string' || !path) return null
    const data = readBinary(path)
    if (!data) return null
    const family = `wxfont-${path.replace(/^.*\//, '').replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '')}-${++count}`
    try {
      const face = new natives.FontFace(family, data)
      natives.fonts?.add(face)
      void face.load().catch(() => {})
      return family
    } catch {
      return null
    }
  }
}
