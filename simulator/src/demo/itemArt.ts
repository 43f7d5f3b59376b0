/**
 * The demo items' pictures: a sword, boots, a chest or an egg where the product ID names
 * one, a gem otherwise. One table for the simulator's item images (payment sheet, console)
 * and the sample game's shop and bag, so "Golden Sword" and "Swift Boots" never look alike.
 * Paths in a 24x24 box, drawn in the item's colour (fill="currentColor" or the caller's).
 */
const ITEM_SHAPES = {
  sword: '<path d="M19 2h3v3L11 16l-3-3z"/><path d="M5 13l6 6-1.5 1.5-2-2L4 22l-2-2 3.5-3.5-2-2z"/>',
  boots: '<path d="M6 2h7v9l7 4c1.5.8 2 2 2 3.5V20H3v-2l3-2z"/><path d="M3 21h19v1H3z"/>',
  chest: '<path d="M3 9c0-3 2-5 5-5h8c3 0 5 2 5 5v2H3z"/><path d="M3 12h18v8H3z"/><path d="M10.5 10h3v4h-3z" fill="#0f1330" fill-opacity=".6"/>',
  egg: '<path d="M12 2c4 0 7 7 7 12a7 7 0 0 1-14 0c0-5 3-12 7-12z"/><path d="M7 13l3 2 2-2 2 2 3-2" fill="none" stroke="#0f1330" stroke-opacity=".5" stroke-width="1.4"/>',
} as const

/** What an item's picture shows. */
export type ItemKind = keyof typeof ITEM_SHAPES | 'gem'

/** The kind an item's picture shows: the first of sword, boots, chest, egg its product ID contains, else "gem". */
export function itemKind(productId: string): ItemKind {
  const id = productId.toLowerCase()
  return (Object.keys(ITEM_SHAPES) as (keyof typeof ITEM_SHAPES)[]).find((kind) => id.includes(kind)) ?? 'gem'
}

/** The SVG paths (24x24 box) of a kind that is not a gem; undefined for a gem, which each side draws its own way. */
export function itemShapePaths(kind: ItemKind): string | undefined {
  return kind === 'gem' ? undefined : ITEM_SHAPES[kind]
}
