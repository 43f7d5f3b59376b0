import { Container, Graphics, Text } from 'pixi.js'
import type { InventoryItem, Shop, ShopItem } from '../../client/src/api'
import type { GameUi } from '../../client/src/app/gameApp'
import { formatPrice } from '../../client/src/app/format'
import { UI_FONT } from '../../client/src/app/theme'
import type { StatusState } from '../../client/src/app/ui/StatusLine'

/*
 * Gem Quest's UI drawn by pixi, for the mini game build (the web build's is DOM over the
 * canvas): the inventory row on top, the status line and the shop docked at the bottom.
 * Each element a test or a tool looks for carries the web build's test id as its `label`
 * (`shop-item-<productId>`, `inventory-item-<productId>`, `game-status`).
 */

const PANEL = 0x0f1330
const MARGIN = 12
/** Below the status bar, the host's capsule (32 px, 4 px down) and a margin. */
const CAPSULE_CLEARANCE = 44
const text = (value: string, size: number, weight: '400' | '600' | '800' = '600', fill = '#ffffff') =>
  new Text({ text: value, style: { fill, fontSize: size, fontWeight: weight, fontFamily: UI_FONT } })

/** The one line that tells the player what is going on, with a Retry when there is one. */
class PixiStatusLine extends Container {
  state: StatusState | undefined
  private readonly message = text('', 14)
  private readonly retry = new Container()
  private onRetry: (() => void) | undefined

  constructor(private readonly changed: () => void) {
    super()
    this.message.label = 'game-status'
    const retryLabel = text('Retry', 14, '800', '#0f1330')
    const retryBox = new Graphics().roundRect(0, 0, retryLabel.width + 20, 26, 13).fill('#ffc83d')
    retryLabel.position.set(10, 4)
    this.retry.addChild(retryBox, retryLabel)
    this.retry.label = 'retry'
    this.retry.eventMode = 'static'
    this.retry.visible = false
    this.retry.on('pointertap', () => this.onRetry?.())
    this.addChild(this.message, this.retry)
  }

  set(state: StatusState, message: string, onRetry?: () => void): void {
    this.state = state
    this.message.text = message
    this.onRetry = onRetry
    this.retry.visible = Boolean(onRetry)
    this.changed()
  }

  layout(width: number): void {
    this.message.style.wordWrap = true
    this.message.style.wordWrapWidth = width - (this.retry.visible ? 90 : 0)
    this.retry.position.set(width - this.retry.width, -3)
  }
}

/** What the server says the player owns, as chips under the title. */
class PixiInventoryBar extends Container {
  private readonly chips = new Container()
  private width_ = 390

  /** `top`: the status bar's height; the title sits beside the host's capsule, the chips under it. */
  constructor(
    private readonly changed: () => void,
    private readonly top: number,
  ) {
    super()
    const title = text('Gem Quest', 18, '800')
    title.position.set(MARGIN, top + 10)
    this.chips.position.set(MARGIN, top + CAPSULE_CLEARANCE)
    this.addChild(title, this.chips)
  }

  render(items: readonly InventoryItem[], colorOf: (productId: string) => string | undefined): void {
    this.chips.removeChildren().forEach((chip) => chip.destroy({ children: true }))
    let x = 0
    let y = 0
    for (const item of items.filter((owned) => owned.quantity > 0)) {
      const chip = new Container()
      chip.label = `inventory-item-${item.productId}`
      const label = text(`${item.name} ×${item.quantity}`, 12)
      const dot = new Graphics().circle(8, 11, 5).fill(colorOf(item.productId) ?? '#8890c0')
      label.position.set(17, 3)
      chip.addChild(new Graphics().roundRect(0, 0, label.width + 25, 22, 11).fill({ color: 0xffffff, alpha: 0.12 }), dot, label)
      if (x > 0 && x + chip.width > this.width_ - 2 * MARGIN) {
        x = 0
        y += 26
      }
      chip.position.set(x, y)
      x += chip.width + 6
      this.chips.addChild(chip)
    }
    this.changed()
  }

  flash(productId: string): void {
    const chip = this.chips.children.find((child) => child.label === `inventory-item-${productId}`)
    if (!chip) return
    chip.alpha = 0.4
    this.changed()
    setTimeout(() => {
      if (chip.destroyed) return
      chip.alpha = 1
      this.changed()
    }, 250)
  }

  layout(width: number): void {
    this.width_ = width
  }

  get barHeight(): number {
    return this.top + CAPSULE_CLEARANCE + (this.chips.children.length ? this.chips.height + MARGIN : 0)
  }
}

/** The shop: one button per item, two columns. */
class PixiShopPanel extends Container {
  private readonly buttons = new Map<string, Container>()
  private busy = false
  private width_ = 390

  constructor(
    private readonly onBuy: (item: ShopItem) => void,
    private readonly changed: () => void,
  ) {
    super()
  }

  render(shop: Shop): void {
    this.removeChildren().forEach((child) => child.destroy({ children: true }))
    this.buttons.clear()
    const columnWidth = (this.width_ - 2 * MARGIN - 8) / 2
    shop.items.forEach((item, i) => {
      const button = new Container()
      button.label = `shop-item-${item.productId}`
      button.eventMode = 'static'
      button.cursor = 'pointer'
      const name = text(item.name, 14, '800')
      const price = text(formatPrice(item.price, shop.currency), 13, '600', '#c9cff5')
      name.position.set(34, 7)
      price.position.set(34, 27)
      button.addChild(new Graphics().roundRect(0, 0, columnWidth, 50, 12).fill({ color: 0xffffff, alpha: 0.1 }), new Graphics().circle(17, 25, 9).fill(item.color), name, price)
      button.position.set((i % 2) * (columnWidth + 8), Math.floor(i / 2) * 58)
      button.on('pointertap', () => {
        if (!this.busy) this.onBuy(item)
      })
      this.buttons.set(item.productId, button)
      this.addChild(button)
    })
    this.setBusy(this.busy)
    this.changed()
  }

  setBusy(busy: boolean, activeProductId?: string): void {
    this.busy = busy
    for (const [productId, button] of this.buttons) button.alpha = busy && productId !== activeProductId ? 0.5 : 1
    this.changed()
  }

  markUnavailable(productId: string): void {
    const button = this.buttons.get(productId)
    if (!button || button.getChildByLabel('unavailable')) return
    const badge = text('Not available yet', 11, '600', '#ffb4b4')
    badge.label = 'unavailable'
    badge.position.set(button.width - badge.width - 10, 29)
    button.addChild(badge)
    this.changed()
  }

  layout(width: number): void {
    this.width_ = width
  }
}

/**
 * The three pieces laid out over the play scene; tells the scene what they cover. The top
 * bar and the dock are each cached as one texture, drawn again only when they change: a
 * few quads a frame instead of a draw per text and panel.
 */
export class PixiHud extends Container implements GameUi {
  readonly status: PixiStatusLine
  readonly inventory: PixiInventoryBar
  readonly shop: PixiShopPanel
  private readonly topBar = new Container()
  private readonly dock = new Container()
  private readonly topPanel = new Graphics()
  private readonly dockPanel = new Graphics()
  private listener: ((insetTop: number, insetBottom: number) => void) | undefined

  constructor(
    onBuy: (item: ShopItem) => void,
    private readonly screenWidth: number,
    private readonly screenHeight: number,
    statusBarHeight: number,
  ) {
    super()
    this.status = new PixiStatusLine(() => this.layout())
    this.inventory = new PixiInventoryBar(() => this.layout(), statusBarHeight)
    this.shop = new PixiShopPanel(onBuy, () => this.layout())
    this.topBar.addChild(this.topPanel, this.inventory)
    this.dock.addChild(this.dockPanel, this.status, this.shop)
    this.addChild(this.topBar, this.dock)
    this.topBar.cacheAsTexture(true)
    this.dock.cacheAsTexture(true)
    this.layout()
  }

  onPlayAreaChange(listener: (insetTop: number, insetBottom: number) => void): void {
    this.listener = listener
    this.layout()
  }

  private layout(): void {
    const width = this.screenWidth
    this.inventory.layout(width)
    this.shop.layout(width)
    this.status.layout(width - 2 * MARGIN)
    const top = this.inventory.barHeight
    const dockHeight = MARGIN + 24 + this.shop.height + MARGIN * 2
    const dockTop = this.screenHeight - dockHeight
    this.topPanel.clear().rect(0, 0, width, top).fill({ color: PANEL, alpha: 0.85 })
    this.dockPanel.clear().rect(0, dockTop, width, dockHeight).fill({ color: PANEL, alpha: 0.85 })
    this.status.position.set(MARGIN, dockTop + MARGIN)
    this.shop.position.set(MARGIN, dockTop + MARGIN + 28)
    this.topBar.updateCacheTexture()
    this.dock.updateCacheTexture()
    this.listener?.(top, dockHeight)
  }
}
