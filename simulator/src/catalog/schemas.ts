import { z } from 'zod'
import { descriptionSchema, imageUrlSchema, nameSchema, priceSchema, productIdSchema } from './itemRules'

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
