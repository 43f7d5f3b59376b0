import type { GamePayments } from '@superapp-sim/game-sdk'
import { getInventory, getShop, type Inventory, type Shop, type ShopItem } from '../api'
import type { Engine } from '../engine/engine'
import { describeError } from './errors'
import { modifiersFrom } from './modifiers'
import { GemArt } from './objects/GemArt'
import { createPurchaseFlow } from './purchaseFlow'
import { MainScreen } from './screens/MainScreen'
import { Session, shortOpenid } from './session'
import type { InventoryBar } from './ui/InventoryBar'
import type { ShopPanel } from './ui/ShopPanel'
import type { StatusLine, StatusState } from './ui/StatusLine'

const INVENTORY_REFRESH_MS = 3000
/** Status states a background refresh must not talk over. */
const BUSY_STATES = new Set<StatusState>(['loading', 'ordering', 'paying', 'waiting-delivery'])

const quantityOf = (inventory: Inventory, productId: string) => inventory.items.find((item) => item.productId === productId)?.quantity ?? 0

function sameItems(a: Inventory | undefined, b: Inventory): boolean {
  if (!a || a.items.length !== b.items.length) return false
  return a.items.every((item, i) => item.productId === b.items[i]?.productId && item.quantity === b.items[i]?.quantity && item.name === b.items[i]?.name)
}

/** The game's own UI around the play scene: DOM in the web build, pixi in the mini game build. */
export interface GameUi {
  status: Pick<StatusLine, 'set' | 'state'>
  inventory: Pick<InventoryBar, 'render' | 'flash'>
  shop: Pick<ShopPanel, 'render' | 'setBusy' | 'markUnavailable'>
  /** Tells the scene how much of the screen the bars cover, now and whenever that changes. */
  onPlayAreaChange(listener: (insetTop: number, insetBottom: number) => void): void
}

/** What differs between the builds: how the game is drawn, framed and told it is on screen. */
export interface GamePlatform {
  payments: GamePayments
  createUi(onBuy: (item: ShopItem) => void): GameUi
  createEngine(): Promise<Engine>
  /**
   * When the engine starts. 'first-screen': after "Signed in" and the shop are up (the web
   * build: its shop is DOM, and pixi's start, seconds of main thread under software WebGL,
   * would otherwise hold up the login's answer or the status line). 'at-once': the mini game
   * build, whose shop and status are drawn in the canvas itself.
   */
  engineStart: 'first-screen' | 'at-once'
  /** Whether the game is on screen (a page's visibility, a mini game's onShow/onHide). */
  visibility: { isVisible(): boolean; onChange(listener: () => void): void }
  /** Signed in and the shop loaded (the web build marks its body for tests and tools). */
  ready(): void
}

/**
 * Gem Quest itself, for either build: sign in, load the shop and the inventory, run the
 * play scene, buy through the host, and keep the inventory in step with the server.
 */
export function runGame(platform: GamePlatform): void {
  const { payments } = platform
  const session = new Session(payments)
  let shopData: Shop | undefined
  let lastInventory: Inventory | undefined
  let screen: MainScreen | undefined

  /** Bumped by every inventory shown, so a background refresh that started before a newer answer drops its own. */
  let shownCount = 0

  const colorOf = (productId: string) => shopData?.items.find((item) => item.productId === productId)?.color
  const showInventory = (inventory: Inventory, delivered?: string) => {
    shownCount++
    lastInventory = inventory
    ui.inventory.render(inventory.items, colorOf)
    screen?.setModifiers(modifiersFrom(inventory.items))
    if (delivered) ui.inventory.flash(delivered)
  }

  const ui = platform.createUi((item) => void purchase(item))
  const { status, shop } = ui
  const purchase = createPurchaseFlow({ session, payments, status, shop, showInventory })

  let engineStarted = false
  /** Starts the canvas once; the shop works without it, even where WebGL does not. */
  function startEngine(): void {
    if (engineStarted) return
    engineStarted = true
    platform
      .createEngine()
      .then((engine) => {
        screen = new MainScreen(new GemArt(engine.app.renderer))
        engine.showScreen(screen)
        if (shopData) screen.setPalette(shopData.items.map((item) => item.color))
        if (lastInventory) screen.setModifiers(modifiersFrom(lastInventory.items))
        const scene = screen
        ui.onPlayAreaChange((top, bottom) => scene.setPlayArea(top, bottom))
      })
      .catch((error: unknown) => console.warn('[gem-quest] the game canvas could not start; the shop still works.', error))
  }
  if (platform.engineStart === 'at-once') startEngine()

  async function start(): Promise<void> {
    status.set('loading', 'Signing in…')
    try {
      if (!session.signedIn) await session.login()
    } catch (error) {
      status.set('error', `Sign-in failed: ${describeError(error)}`, () => void start())
      startEngine()
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
      startEngine()
      return
    }
    // A game knows its player by openid only (code2session returns no name; wx.getUserInfo
    // needs the player's consent on the real host): the host shell shows the name beside it.
    status.set('signed-in', `Signed in · openid ${shortOpenid(session.openid ?? '')}`)
    platform.ready()
    startEngine()
    keepInventoryFresh()
  }

  let refreshTimer: ReturnType<typeof setInterval> | undefined
  let refreshing = false

  /**
   * The server's inventory can change without this game doing anything: a refund the host
   * processed takes an item back. So it is read again every few seconds while the game is
   * on screen (and at once when it comes back on screen).
   */
  function keepInventoryFresh(): void {
    if (refreshTimer !== undefined) return
    refreshTimer = setInterval(() => void refreshInventory(), INVENTORY_REFRESH_MS)
    platform.visibility.onChange(() => void refreshInventory())
  }

  async function refreshInventory(): Promise<void> {
    if (refreshing || !platform.visibility.isVisible() || !session.signedIn) return
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
