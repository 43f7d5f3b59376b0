import { Router } from 'express'
import { z } from 'zod'
import { itemImageSvg } from '../demo/demoData'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import { contentTypeOf, type ImageStore } from './images'

const fileParam = z.object({ file: z.string().min(1).max(80) })

/**
 * Item images, public like any image a payment sheet or a game loads: the demo items'
 * drawn SVGs and the teams' uploads. Upload names are content hashes, so they never change
 * meaning and may be cached for good.
 */
export function mediaRoutes(images: ImageStore): Router {
  const router = Router()

  router.get('/media/items/:file', (req, res) => {
    const { file } = parseInput(fileParam, req.params, 'path')
    const svg = itemImageSvg(file.replace(/\.svg$/, ''))
    if (!svg) throw new SimulatorError('NOT_FOUND', 'no such image')
    res.type('image/svg+xml').send(svg)
  })

  router.get('/media/uploads/:file', async (req, res) => {
    const { file } = parseInput(fileParam, req.params, 'path')
    const type = contentTypeOf(file)
    const bytes = type ? await images.read(file) : undefined
    if (!type || !bytes) throw new SimulatorError('NOT_FOUND', `no uploaded image ${file}`)
    res
      .set({ 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' })
      .send(Buffer.from(bytes))
  })

  return router
}
