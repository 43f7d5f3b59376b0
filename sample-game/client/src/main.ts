import './styles.css'
import { GameSdkError, createGamePayments, type GamePayments } from '@superapp-sim/game-sdk'
import { getWx } from '@superapp-sim/game-sdk/browser'
import { runGame } from './app/gameApp'
import { BACKGROUND } from './app/theme'
import { Hud } from './app/ui/Hud'
import { InventoryBar } from './app/ui/InventoryBar'
import { ShopPanel } from './app/ui/ShopPanel'
import { StatusLine } from './app/ui/StatusLine'
import { showNoHostMessage } from './app/ui/noHostMessage'
import { Engine } from './engine/engine'

/** The host's payments, or undefined when the page was opened outside any host frame. */
function connectPayments(): GamePayments | undefined {
  try {
    return createGamePayments(getWx())
  } catch (error) {
    if (error instanceof GameSdkError && error.code === 'NO_HOST') return undefined
    throw error
  }
}

/** The web build: a page in the host's frame, its UI in the DOM over pixi's canvas. */
function main(): void {
  const payments = connectPayments()
  if (!payments) {
    showNoHostMessage()
    return
  }
  runGame({
    payments,
    createUi(onBuy) {
      const status = new StatusLine()
      const inventory = new InventoryBar()
      const shop = new ShopPanel(onBuy)
      const hud = new Hud(inventory, status, shop)
      document.body.append(hud.root)
      return { status, inventory, shop, onPlayAreaChange: (listener) => hud.onPlayAreaChange(listener) }
    },
    createEngine: () => Engine.create({ background: BACKGROUND }),
    engineStart: 'first-screen',
    visibility: {
      isVisible: () => document.visibilityState === 'visible',
      onChange: (listener) => document.addEventListener('visibilitychange', listener),
    },
    ready: () => void (document.body.dataset.ready = 'true'),
  })
}

main()
