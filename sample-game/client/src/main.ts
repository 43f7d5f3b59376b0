import './styles.css'
import { GameSdkError, createGamePayments, type GamePayments } from '@superapp-sim/game-sdk'
import { getWx } from '@superapp-sim/game-sdk/browser'
import { getInventory, getShop, type Inventory, type Shop } from './api'
import { describeError } from './app/errors'
import { modifiersFrom } from './app/modifiers'
import { createPurchaseFlow } from './app/purchaseFlow'
import { GemArt } from './app/objects/GemArt'
import { MainScreen } from './app/screens/MainScreen'
import { Session, shortOpenid } from './app/session'
import { BACKGROUND } from './app/theme'
import { Hud } from './app/ui/Hud'
import { InventoryBar } from './app/ui/InventoryBar'
import { ShopPanel } from './app/ui/ShopPanel'
import { StatusLine, type StatusState } from './app/ui/StatusLine'
import { showNoHostMessage } from './app/ui/noHostMessage'
import { Engine } from './engine/engine'

const INVENTORY_REFRESH_MS = 3000
/** Status states a background refresh must not talk over. */
const BUSY_STATES = new Set<StatusState>(['loading', 'ordering', 'paying', 'waiting-delivery'])

const quantityOf = (inventory: Inventory, productId: string) => inventory.items.find((item) => item.productId === productId)?.quantity ?? 0

function sameItems(a: Inventory | undefined, b: Inventory): boolean {
  if (!a || a.items.length !== b.items.length) return false
  return a.items.every((item, i) => item.productId === b.items[i]?.productId && item.quantity === b.items[i]?.quantity && item.name === b.items[i]?.name)
}

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

  /** Bumped by every inventory shown, so a background refresh that started before a newer answer drops its own. */
  let shownCount = 0

  const colorOf = (productId: string) => shopData?.items.find((item) => item.productId === productId)?.color
  const showInventory = (inventory: Inventory, delivered?: string) => {
    shownCount++
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
      screen = new MainScreen(new GemArt(engine.app.renderer))
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
    keepInventoryFresh()
  }

  let refreshTimer: ReturnType<typeof setInterval> | undefined
  let refreshing = false

  /**
   * The server's inventory can change without this page doing anything: a refund the host
   * processed takes an item back. So it is read again every few seconds while the game is
   * on screen (and at once when it comes back on screen).
   */
  function keepInventoryFresh(): void {
    if (refreshTimer !== undefined) return
    refreshTimer = setInterval(() => void refreshInventory(), INVENTORY_REFRESH_MS)
    document.addEventListener('visibilitychange', () => void refreshInventory())
  }

  async function refreshInventory(): Promise<void> {
    if (refreshing || document.visibilityState !== 'visible' || !session.signedIn) return
    refreshing = true
    const before = shownCount
    const previous = lastInventory
    try {
      const inventory = await session.authed(getInventory)
      // Something newer was shown meanwhile (a purchase's own answer): this one is already old.
      if (shownCount !== before || sameItems(previous, inventory)) return
      showInventory(inventory)
      const gone = (previous?.items ?? []).filter((item) => quantityOf(inventory, item.productId) < item.quantity)
      // Say so, unless a purchase is talking to the player right now.
      if (gone.length && !BUSY_STATES.has(status.state ?? 'loading')) {
        status.set('refunded', `Refunded: ${gone.map((item) => item.name).join(', ')} taken back`)
      }
    } catch {
      // A missed refresh is harmless: the next one asks again.
    } finally {
      refreshing = false
    }
  }

  void start()
}

main()
