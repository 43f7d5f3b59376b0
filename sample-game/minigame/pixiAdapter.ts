import { DOMAdapter, type Adapter, type ICanvas, type ImageLike } from 'pixi.js'
import { wx } from './wx'

/**
 * pixi's DOMAdapter over the mini game platform, as pixi's WebWorkerAdapter is over a
 * worker: canvases from wx.createCanvas (off-screen ones: the first call, made by the game
 * before pixi starts, took the screen's), images from wx.createImage, no DOM anywhere.
 * Install it before the Application is created.
 */
let contextTypes: { context2d: object; webgl: typeof WebGLRenderingContext } | undefined

/** The platform's context classes, read off real contexts (the globals are not there). */
function contexts() {
  if (!contextTypes) {
    const probe = wx.createCanvas() as unknown as OffscreenCanvas
    const context2d = Object.getPrototypeOf(probe.getContext('2d')) as object
    const gl = (wx.createCanvas() as unknown as OffscreenCanvas).getContext('webgl')
    contextTypes = { context2d, webgl: (gl ? Object.getPrototypeOf(gl).constructor : function NoWebGL() {}) as typeof WebGLRenderingContext }
  }
  return contextTypes
}

/** UTF-8 bytes to text without TextDecoder, which the platform does not have. */
function utf8(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return decodeURIComponent(escape(binary))
}

/** A fetch over wx.request, for pixi's Assets (JSON, text, binary). */
function wxFetch(url: RequestInfo | URL, options?: RequestInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: String(url),
      method: (options?.method ?? 'GET') as 'GET',
      responseType: 'arraybuffer',
      success: (res) => {
        const buffer = res.data as ArrayBuffer
        const text = () => utf8(buffer)
        resolve({
          ok: res.statusCode >= 200 && res.statusCode < 300,
          status: res.statusCode,
          arrayBuffer: async () => buffer,
          text: async () => text(),
          json: async () => JSON.parse(text()) as unknown,
        } as unknown as Response)
      },
      fail: (res) => reject(new Error(res.errMsg)),
    })
  })
}

export const WxAdapter: Adapter = {
  createCanvas: (width, height) => {
    const canvas = wx.createCanvas() as unknown as ICanvas
    if (width !== undefined) canvas.width = width
    if (height !== undefined) canvas.height = height
    return canvas
  },
  createImage: () => wx.createImage() as unknown as ImageLike,
  getCanvasRenderingContext2D: () => ({ prototype: contexts().context2d as never }),
  getWebGLRenderingContext: () => contexts().webgl,
  getNavigator: () => ({ userAgent: `mini game (${wx.getSystemInfoSync().platform})`, gpu: null }),
  getBaseUrl: () => '',
  getFontFaceSet: () => null,
  fetch: wxFetch,
  parseXML: () => {
    throw new Error('XML is not parsed in the mini game build: use JSON data')
  },
}

export function installWxAdapter(): void {
  DOMAdapter.set(WxAdapter)
}
