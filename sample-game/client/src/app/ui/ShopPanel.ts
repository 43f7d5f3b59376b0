import type { Shop, ShopItem } from '../../api'
import { formatPrice } from '../format'
import { el } from './dom'
import { itemIcon } from './itemIcon'

/**
 * The shop dock at the bottom: one real <button> per item (the tests and screen readers
 * need real buttons; the pixi canvas has none).
 */
export class ShopPanel {
  readonly root: HTMLElement
  private readonly grid: HTMLDivElement
  private readonly buttons = new Map<string, HTMLButtonElement>()
  private busy = false

  constructor(private readonly onBuy: (item: ShopItem) => void) {
    this.grid = el('div', { className: 'shop-grid', testId: 'shop' })
    this.root = el('section', { className: 'shop', attrs: { 'aria-label': 'Shop' } }, [
      el('div', { className: 'shop-header' }, [el('span', { className: 'shop-title', text: 'Shop' }), el('span', { className: 'shop-note', text: 'Test purchases · no real money' })]),
      this.grid,
    ])
  }

  render(shop: Shop): void {
    this.buttons.clear()
    this.grid.replaceChildren(
      ...shop.items.map((item) => {
        const price = formatPrice(item.price, shop.currency)
        const button = el('button', { className: 'shop-item', testId: `shop-item-${item.productId}`, attrs: { type: 'button', 'aria-label': `Buy ${item.name} for ${price}` } }, [
          item.imageUrl
            ? el('img', { className: 'shop-item-image', testId: `shop-item-image-${item.productId}`, attrs: { src: item.imageUrl, alt: '', loading: 'lazy' } })
            : itemIcon(item.productId),
          el('span', { className: 'shop-item-body' }, [
            el('span', { className: 'shop-item-name', text: item.name }),
            // Spaces as text nodes keep the button's text readable: "Golden Sword $2.99 Doubles…".
            ' ',
            el('span', { className: 'shop-item-meta' }, [
              el('span', { className: 'shop-item-price', text: price }),
              ' ',
              el('span', { className: 'shop-item-desc', text: item.description }),
            ]),
          ]),
        ])
        button.style.setProperty('--item-color', item.color)
        button.disabled = this.busy
        button.addEventListener('click', () => {
          if (!this.busy) this.onBuy(item)
        })
        this.buttons.set(item.productId, button)
        return button
      }),
    )
  }

  /** While a purchase runs every button is disabled; the active one shows a spinner. */
  setBusy(busy: boolean, activeProductId?: string): void {
    this.busy = busy
    this.root.dataset.busy = String(busy)
    for (const [productId, button] of this.buttons) {
      button.disabled = busy
      button.classList.toggle('shop-item--active', busy && productId === activeProductId)
      button.setAttribute('aria-busy', String(busy && productId === activeProductId))
    }
  }

  /** After the host refused an item as not released: say so on its card. */
  markUnavailable(productId: string): void {
    const button = this.buttons.get(productId)
    if (!button || button.querySelector('.shop-item-badge')) return
    button.classList.add('shop-item--unavailable')
    button.querySelector('.shop-item-body')?.append(el('span', { className: 'shop-item-badge', text: 'Not available yet' }))
  }
}
