import type { InventoryBar } from './InventoryBar'
import type { ShopPanel } from './ShopPanel'
import type { StatusLine } from './StatusLine'
import { el } from './dom'

/**
 * The DOM layer over the canvas: inventory bar on top, status and shop docked at the
 * bottom. The middle lets pointer events through to pixi; the scene is told how much of
 * the screen the bars cover, so gems only fall where they can be seen and tapped.
 */
export class Hud {
  readonly root: HTMLDivElement
  private readonly top: HTMLElement
  private readonly dock: HTMLDivElement
  private listener: ((insetTop: number, insetBottom: number) => void) | undefined

  constructor(inventory: InventoryBar, status: StatusLine, shop: ShopPanel) {
    this.top = inventory.root
    this.dock = el('div', { className: 'bottom-dock' }, [status.root, shop.root])
    this.root = el('div', { className: 'hud' }, [this.top, this.dock])
    const observer = new ResizeObserver(() => this.notify())
    observer.observe(this.top)
    observer.observe(this.dock)
    window.addEventListener('resize', () => this.notify())
  }

  onPlayAreaChange(listener: (insetTop: number, insetBottom: number) => void): void {
    this.listener = listener
    this.notify()
  }

  private notify(): void {
    if (!this.listener || !this.root.isConnected) return
    const insetTop = this.top.getBoundingClientRect().bottom
    const insetBottom = Math.max(0, window.innerHeight - this.dock.getBoundingClientRect().top)
    this.listener(insetTop, insetBottom)
  }
}
