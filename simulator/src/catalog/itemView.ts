import type { Item, ItemState, ReleasedItemVersion } from '../store/model'
import { releasedVersionOf, unreleasedChanges, type VersionedField } from './itemVersions'

/** An item as the console API shows it: the working copy, the version on sale, and what differs. */
export interface ItemView {
  productId: string
  name: string
  price: number
  imageUrl: string
  description: string
  state: ItemState
  /** The version players buy; null when the item is not on sale. */
  released: ReleasedItemVersion | null
  /** Working-copy fields not yet released: they reach players with the next release. */
  unreleasedChanges: VersionedField[]
  /** The approval that will release it, while pending_release. */
  releaseRequestId: string | null
  createdAt: string | null
  updatedAt: string | null
}

export function describeItem(item: Item): ItemView {
  const released = releasedVersionOf(item)
  return {
    productId: item.productId,
    name: item.name,
    price: item.price,
    imageUrl: item.imageUrl,
    description: item.description,
    state: item.state,
    released: released ? { ...released } : null,
    unreleasedChanges: unreleasedChanges(item),
    releaseRequestId: item.releaseRequestId ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  }
}
