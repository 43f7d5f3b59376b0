import type { Item, ItemVersion, ReleasedItemVersion } from '../store/model'

/** The fields a release copies; an edit to any of them must be released again to reach players. */
export const VERSIONED_FIELDS = ['name', 'price', 'imageUrl', 'description'] as const
export type VersionedField = (typeof VERSIONED_FIELDS)[number]

/** The team's working copy of an item. */
export function workingVersionOf(item: Item): ItemVersion {
  return { name: item.name, price: item.price, imageUrl: item.imageUrl, description: item.description }
}

/**
 * The version the host sells, or undefined when the item is not on sale (never released,
 * removed, deleted). The host charges this price and shows this name and image, whatever
 * the working copy says.
 */
export function releasedVersionOf(item: Item): ReleasedItemVersion | undefined {
  if (item.state === 'removed' || item.state === 'draft') return undefined
  return item.released
}

/** The fields whose working value differs from the version on sale ([] when not on sale). */
export function unreleasedChanges(item: Item): VersionedField[] {
  const released = releasedVersionOf(item)
  if (!released) return []
  const working = workingVersionOf(item)
  return VERSIONED_FIELDS.filter((field) => working[field] !== released[field])
}

/** The item as the host sells it: the released version's values under the item's identity. */
export function asSold(item: Item, released: ReleasedItemVersion): Item {
  return { ...item, name: released.name, price: released.price, imageUrl: released.imageUrl, description: released.description }
}
