/**
 * Gem Quest as a mini game package (sample-game/dist/minigame/game.js): the same game as the web
 * build, on the platform's own terms. The screen canvas comes from wx.createCanvas, pixi
 * runs through a DOMAdapter over wx, touches come from wx.onTouchStart…, the game's
 * server is called with wx.request, and the UI is drawn by pixi instead of the DOM.
 */
import { wx, GameGlobal } from './wx'
import { Container, FederatedContainer, ResizePlugin, extensions, type ICanvas } from 'pixi.js'
import 'pixi.js/webworker'
import { createGamePayments } from '@superapp-sim/game-sdk'
import { getWx } from '@superapp-sim/game-sdk/browser'
import { useHttpTransport } from '../client/src/api'
import { runGame } from '../client/src/app/gameApp'
import { BACKGROUND } from '../client/src/app/theme'
import { createMiniGameEngine } from './engine'
import { installWxAdapter } from './pixiAdapter'
import { routeTouches } from './touchInput'
import { PixiHud } from './ui/PixiHud'

// First of all: the first wx.createCanvas() is the one on the screen.
const screenCanvas = wx.createCanvas() as unknown as ICanvas
installWxAdapter()
// Pointer events on display objects, without pixi's EventSystem (it listens to a DOM): the
// platform's touches drive the scene instead (touchInput.ts).
extensions.mixin(Container, FederatedContainer)
// It follows a browser window's resize events; a mini game's window keeps its size.
extensions.remove(ResizePlugin)

/** The game server's address, written into the package by the build (and by the server that serves it). */
const gameServer = (require('./gameServer.js') as string).replace(/\/$/, '')

useHttpTransport(
  (method, url, header, body) =>
    new Promise((resolve, reject) => {
      wx.request({
        url: `${gameServer}${url}`,
        method,
        header,
        data: body,
        success: (res) => resolve({ status: res.statusCode, data: typeof res.data === 'string' ? undefined : res.data }),
        fail: (res) => reject(new Error(res.errMsg)),
      })
    }),
)

const info = wx.getSystemInfoSync()
let visible = true
let hud: PixiHud | undefined

runGame({
  // On the platform getWx() is the host's own wx.
  payments: createGamePayments(getWx()),
  createUi(onBuy) {
    hud = new PixiHud(onBuy, info.windowWidth, info.windowHeight, info.statusBarHeight)
    return hud
  },
  async createEngine() {
    const engine = await createMiniGameEngine(screenCanvas, BACKGROUND)
    // Over the scene, whatever screen is shown.
    engine.app.stage.sortableChildren = true
    hud!.zIndex = 10
    engine.app.stage.addChild(hud!)
    routeTouches(engine.app.stage)
    return engine
  },
  engineStart: 'at-once',
  visibility: {
    isVisible: () => visible,
    onChange(listener) {
      wx.onShow(() => {
        visible = true
        listener()
      })
      wx.onHide(() => {
        visible = false
        listener()
      })
    },
  },
  ready: () => void (GameGlobal.gemQuestReady = true),
})
