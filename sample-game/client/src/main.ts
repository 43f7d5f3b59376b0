import './styles.css'
import { GameSdkError, createGamePayments, getWx, type GamePayments } from '../../../game-sdk/src/browser'
import { getInventory, getShop, type Inventory, type Shop } from './api'
import { describeError } from './app/errors'
import { modifiersFrom } from './app/modifiers'
import { createPurchaseFlow } from './app/purchaseFlow'
import { MainScreen } from './app/screens/MainScreen'
import { Session, shortOpenid } from './app/session'
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

function main(): void {
  const payments = connectPayments()
  if (!payments) {
    showNoHostMessage()
    return
  }

  const session = new Session(payments)
  const status = new StatusLine()
  const inventoryBar = new InventoryBar()
  let shopData: Shop | undefined
  let lastInventory: Inventory | undefined
  let screen: MainScreen | undefined

  const colorOf = (productId: string) => shopData?.items.find((item) => item.productId === productId)?.color
  const showInventory = (inventory: Inventory, delivered?: string) => {
    lastInventory = inventory
    inventoryBar.render(inventory.items, colorOf)
    screen?.setModifiers(modifiersFrom(inventory.items))
    if (delivered) inventoryBar.flash(delivered)
  }

  const shop = new ShopPanel((item) => void purchase(item))
  const purchase = createPurchaseFlow({ session, payments, status, shop, showInventory })
  const hud = new Hud(inventoryBar, status, shop)
  document.body.append(hud.root)

  // The canvas starts alongside the login: the shop must work even where WebGL does not.
  Engine.create({ background: BACKGROUND })
    .then((engine) => {
      screen = new MainScreen()
      engine.showScreen(screen)
      if (shopData) screen.setPalette(shopData.items.map((item) => item.color))
      if (lastInventory) screen.setModifiers(modifiersFrom(lastInventory.items))
      const scene = screen
      hud.onPlayAreaChange((top, bottom) => scene.setPlayArea(top, bottom))
    })
    .catch((error: unknown) => console.warn('[gem-quest] the game canvas could not start; the shop still works.', error))

  async function start(): Promise<void> {
    status.set('loading', 'Signing in…')
    try {
      if (!session.signedIn) await session.login()
    } catch (error) {
      status.set('error', `Sign-in failed: ${describeError(error)}`, () => void start())
      return
    }
    status.set('loading', 'Opening the shop…')
    try {
      const [shopAnswer, inventory] = await Promise.all([getShop(), session.authed(getInventory)])
      shopData = shopAnswer
      shop.render(shopAnswer)
      screen?.setPalette(shopAnswer.items.map((item) => item.color))
      showInventory(inventory)
    } catch (error) {
      status.set('error', `Could not load the game: ${describeError(error)}`, () => void start())
      return
    }
    status.set('signed-in', `Signed in as ${shortOpenid(session.openid ?? '')}`)
    document.body.dataset.ready = 'true'
  }

  void start()
}

main()
