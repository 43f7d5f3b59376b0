import type { InventoryItem } from '../../api'
import { el } from './dom'
import { itemIcon } from './itemIcon'

/**
 * The compact row at the top: what the server says the player owns. It is only ever
 * rendered from a GET /api/inventory answer.
 */
export class InventoryBar {
  readonly root: HTMLDivElement
  private readonly list: HTMLDivElement

  constructor() {
    // Empty means no children at all; the "nothing yet" hint is CSS (:empty), so the
    // element's children are exactly the owned items.
    this.list = el('div', { className: 'inventory', testId: 'inventory', attrs: { 'aria-label': 'Inventory' } })
    // The title shares its row with the host's capsule (kept clear, styles.css); the bag
    // has a row of its own and wraps, so every item's name shows whole.
    this.root = el('div', { className: 'top-bar' }, [
      el('div', { className: 'top-title' }, [el('span', { className: 'logo-gem' }), el('span', { text: 'Gem Quest' })]),
      this.list,
    ])
  }

  render(items: readonly InventoryItem[], colorOf: (productId: string) => string | undefined): void {
    const owned = items.filter((item) => item.quantity > 0)
    this.list.replaceChildren(
      ...owned.map((item) => {
        const chip = el('div', { className: 'inventory-item', testId: `inventory-item-${item.productId}` }, [
          itemIcon(item.productId, 'small'),
          el('span', { className: 'inventory-name', text: item.name }),
          // The space is a real text node so the element's text reads "Golden Sword ×1".
          ' ',
          el('span', { className: 'inventory-qty', text: `×${item.quantity}` }),
        ])
        chip.style.setProperty('--item-color', colorOf(item.productId) ?? '#8890c0')
        return chip
      }),
    )
  }

  flash(productId: string): void {
    const chip = this.list.querySelector<HTMLElement>(`[data-testid="inventory-item-${CSS.escape(productId)}"]`)
    if (!chip) return
    chip.classList.remove('inventory-item--new')
    // Reflow so the animation restarts when the same item is delivered twice in a row.
    void chip.offsetWidth
    chip.classList.add('inventory-item--new')
  }
}
