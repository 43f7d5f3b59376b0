import { z } from 'zod'
import { approvalSchema, itemStateSchema, itemVersionSchema, releasedItemVersionSchema } from '../store/schema'
import { descriptionSchema, imageUrlSchema, nameSchema, priceSchema, productIdSchema } from './itemRules'
import { VERSIONED_FIELDS } from './itemVersions'

/** Request schemas of the item routes: the routes validate with them and docs/api.md is generated from them. */
export const ITEM_STATES = ['draft', 'pending_release', 'released', 'removed'] as const

export const itemParams = z.object({ appId: z.string().min(1).max(64), productId: productIdSchema })

/** Strict: a misspelt field ("prize") is refused rather than silently ignored. */
export const newItemBody = z.strictObject({
  productId: productIdSchema,
  name: nameSchema,
  price: priceSchema,
  imageUrl: imageUrlSchema.default(''),
  description: descriptionSchema.default(''),
})

export const itemChangesBody = z
  .strictObject({
    name: nameSchema.optional(),
    price: priceSchema.optional(),
    imageUrl: imageUrlSchema.optional(),
    description: descriptionSchema.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), 'send at least one of name, price, imageUrl, description')

const itemFilter = {
  state: z.enum(ITEM_STATES).optional(),
  /** A substring of the product ID or the name, any case. */
  q: z.string().trim().max(64).optional(),
}

export const itemsQuery = z.object({
  ...itemFilter,
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})

export const exportQuery = z.object({
  ...itemFilter,
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  /** working: what the team edits (for a round trip); released: what players buy now (for a game server). */
  version: z.enum(['working', 'released']).default('working'),
})

export const importQuery = z.object({
  /** all: nothing is imported when any row fails; validRowsOnly: the valid rows are. */
  mode: z.enum(['all', 'validRowsOnly']).default('all'),
  /** refuse: a product ID already stored is a row error; update: the row replaces that item's working copy. */
  existing: z.enum(['refuse', 'update']).default('refuse'),
})

const productIds = z
  .array(productIdSchema)
  .min(1, 'list at least one product ID')
  .max(1000, 'at most 1,000 product IDs per call')
  .refine((ids) => new Set(ids).size === ids.length, 'list each product ID once')

export const releaseBody = z.strictObject({
  productIds,
  /** Shown to the superapp with the request; a list of the items when left out. */
  message: z.string().trim().max(1000).optional(),
})
export const removeBody = z.strictObject({ productIds })

export type NewItem = z.infer<typeof newItemBody>
export type ItemChanges = z.infer<typeof itemChangesBody>
export type ItemFilter = { state?: (typeof ITEM_STATES)[number]; q?: string }

// Response schemas of the item routes (catalog/itemView.ts describeItem, items.ts listItems, itemImport.ts ImportReport).

/** An item as the console API shows it: the working copy, the version on sale, and what differs. */
export const itemView = z.object({
  productId: z.string(),
  ...itemVersionSchema.shape,
  state: itemStateSchema,
  released: releasedItemVersionSchema.nullable().describe('the version players buy; null when the item is not on sale'),
  unreleasedChanges: z.array(z.enum(VERSIONED_FIELDS)).describe('working-copy fields that reach players only with the next release'),
  releaseRequestId: z.string().nullable().describe('the approval that will release it, while pending_release'),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
})
export const itemPageView = z.object({
  items: z.array(itemView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.object(Object.fromEntries(ITEM_STATES.map((state) => [state, z.number().int()])) as Record<(typeof ITEM_STATES)[number], z.ZodNumber>).describe("items per state over the whole game, for the page's tabs"),
})
export const oneItemView = z.object({ item: itemView })
export const deletedItemView = z.object({ deleted: z.string().describe('the product ID') })
export const uploadedImageView = z.object({ imageUrl: z.string().describe('/media/uploads/<hash>.<ext>') })
export const importReportView = z.object({
  mode: importQuery.shape.mode.unwrap(),
  existing: importQuery.shape.existing.unwrap(),
  rows: z.number().int().describe('item rows read from the sheet (empty rows and the example row not counted)'),
  added: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()).describe('rows identical to the stored item (existing=update)'),
  skipped: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  errors: z.array(z.object({ row: z.number().int().optional(), column: z.string().optional(), cell: z.string().optional(), message: z.string() })),
})
export const importView = z.object({ report: importReportView })
/** 200 with `released` when the game holds the approval exemption; 202 with the request filed otherwise. */
export const releaseView = z.object({ released: z.array(itemView), approval: approvalSchema.nullable() })
export const removedItemsView = z.object({ removed: z.array(itemView) })
