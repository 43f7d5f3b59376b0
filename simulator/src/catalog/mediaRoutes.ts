import { Router } from 'express'
import { z } from 'zod'
import { itemImageSvg } from '../demo/demoData'
import { SimulatorError } from '../errors'
import { defineRoute, mountRoutes } from '../http/routeDefinition'
import { contentTypeOf, type ImageStore } from './images'

const fileParam = z.object({ file: z.string().min(1).max(80) })
const route = defineRoute<ImageStore>()

/**
 * Item images, public like any image a payment sheet or a game loads: the demo items'
 * drawn SVGs and the teams' uploads. Upload names are content hashes, so they never change
 * meaning and may be cached for good.
 */
export const MEDIA_ROUTES = {
  demoItem: route({
    method: 'GET',
    path: '/media/items/:file',
    summary: "The demo items' images (SVG), e.g. `/media/items/golden_sword.svg`.",
    params: fileParam,
    content: { type: 'image/svg+xml', description: "the item's drawing" },
    errors: ['404 NOT_FOUND'],
    handler: (_images, { params: { file } }, res) => {
      const svg = itemImageSvg(file.replace(/\.svg$/, ''))
      if (!svg) throw new SimulatorError('NOT_FOUND', 'no such image')
      res.type('image/svg+xml').send(svg)
    },
  }),
  upload: route({
    method: 'GET',
    path: '/media/uploads/:file',
    summary: 'Item images uploaded in the console, named by a hash of their content (so they can be cached for good and a released version keeps its image).',
    params: fileParam,
    content: { type: 'image/png, image/jpeg, image/webp', description: 'the uploaded bytes, `cache-control: public, max-age=31536000, immutable`' },
    errors: ['404 NOT_FOUND'],
    handler: async (images, { params: { file } }, res) => {
      const type = contentTypeOf(file)
      const bytes = type ? await images.read(file) : undefined
      if (!type || !bytes) throw new SimulatorError('NOT_FOUND', `no uploaded image ${file}`)
      res
        .set({ 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' })
        .send(Buffer.from(bytes))
    },
  }),
}

/** The media routes, mounted from MEDIA_ROUTES. */
export function mediaRoutes(images: ImageStore): Router {
  return mountRoutes(Router(), Object.values(MEDIA_ROUTES), images)
}
