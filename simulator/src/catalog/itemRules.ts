import { z } from 'zod'

/**
 * The rules every item field follows, wherever it comes from (the REST API, the Excel
 * import): one set of zod schemas, so a row and a request are refused for the same reasons.
 */
export const ITEM_LIMITS = {
  productId: 64,
  name: 64,
  description: 500,
  imageUrl: 2048,
  /** 999,999.99 in a two-decimal currency: far above any real item, low enough to catch a typo. */
  price: 99_999_999,
} as const

/** signData's productId travels in URLs and logs: letters, digits, `_ - .`; not only dots (a path segment). */
export const PRODUCT_ID_PATTERN = /^(?!\.+$)[A-Za-z0-9_\-.]{1,64}$/
export const PRODUCT_ID_RULE = '1 to 64 letters, digits, "_", "-" or "." (not only dots)'

export function isImageUrl(value: string): boolean {
  if (value === '') return true
  if (value.startsWith('/')) return /^\/media\/[A-Za-z0-9_\-./]+$/.test(value) && !value.includes('..')
  if (!URL.canParse(value)) return false
  return ['http:', 'https:'].includes(new URL(value).protocol)
}

export const productIdSchema = z.string().regex(PRODUCT_ID_PATTERN, `a product ID is ${PRODUCT_ID_RULE}`)
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'the name is required')
  .max(ITEM_LIMITS.name, `the name is at most ${ITEM_LIMITS.name} characters`)
export const priceSchema = z
  .int(`the price is a whole number of minor units (299 for 2.99)`)
  .min(1, 'the price must be above 0')
  .max(ITEM_LIMITS.price, `the price is at most ${ITEM_LIMITS.price} minor units`)
export const imageUrlSchema = z
  .string()
  .trim()
  .max(ITEM_LIMITS.imageUrl, `the image URL is at most ${ITEM_LIMITS.imageUrl} characters`)
  .refine(isImageUrl, 'the image URL must be an http(s) URL or a /media/ path of the simulator')
export const descriptionSchema = z
  .string()
  .trim()
  .max(ITEM_LIMITS.description, `the description is at most ${ITEM_LIMITS.description} characters`)
