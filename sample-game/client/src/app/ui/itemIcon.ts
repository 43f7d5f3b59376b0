import { itemKind, itemShapePaths } from '@superapp-sim/simulator/fixtures'
import { el } from './dom'

/**
 * An item's icon in the shop and the bag, from the same table as the simulator's item
 * images: its kind's shape in its colour, or the gem art for gems. Inline SVG, so the game
 * needs no image files.
 */
export function itemIcon(productId: string, size?: 'small'): HTMLElement {
  const kind = itemKind(productId)
  const shape = itemShapePaths(kind)
  const sized = (base: string) => (size ? `${base} ${base}--${size}` : base)
  if (!shape) return el('span', { className: sized('gem-art'), attrs: { 'data-kind': kind } })
  const icon = el('span', { className: sized('item-icon'), attrs: { 'data-kind': kind, 'aria-hidden': 'true' } })
  // Static markup from the simulator's table, never from data.
  icon.innerHTML = `<svg viewBox="0 0 24 24" fill="currentColor">${shape}</svg>`
  return icon
}
