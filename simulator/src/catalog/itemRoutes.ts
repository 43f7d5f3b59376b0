import { Router, type Response } from 'express'
import type { Clock } from '../clock'
import { authenticate, currentAccount, requireCapability } from '../console/auth'
import { appIdParam } from '../console/schemas'
import { findVisibleGame } from '../console/visibility'
import { parseInput } from '../http/validate'
import type { Store } from '../store/store'
import { IMAGE_LIMIT_TEXT, IMAGE_TYPES, MAX_IMAGE_BYTES, UPLOADS_PATH, checkImage, type ImageStore } from './images'
import { importItems } from './itemImport'
import { addItem, assertEditable, deleteItem, editItem, findItem, listItems, matchingItems } from './items'
import { releasedVersionOf, workingVersionOf } from './itemVersions'
import { bodyBytes, rawBody } from './rawBody'
import { releaseItems, removeItems } from './releases'
import { exportQuery, importQuery, itemChangesBody, itemParams, itemsQuery, newItemBody, releaseBody, removeBody } from './schemas'
import { CSV_TYPE, XLSX_TYPE, itemsCsv, itemsWorkbook, templateWorkbook, type ItemRow } from './spreadsheet'

/** An .xlsx of 1,000 item rows is about 40 KiB; 5 MiB leaves room for what Excel adds. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024

/**
 * Virtual payment > Virtual item management: the item list, add/edit/delete, the Excel
 * template, import and export, images, and release/remove in batches. Each route names
 * the seed's capability; then the game must be one the caller sees (else 404).
 *
 * Two routers: `json` for the routes with a JSON body (mounted behind the console's JSON
 * guard and session check), `files` for the two whose body is a file, an .xlsx or an image,
 * with content types of their own: mounted before the JSON guard, each route checks the
 * session itself.
 */
export function itemRoutes(store: Store, clock: Clock, images: ImageStore): { json: Router; files: Router } {
  const router = Router()
  const files = Router()
  const signedIn = authenticate(store, clock)
  const items = '/minigames/:appId/items'
  const gameOf = (params: unknown, account: Parameters<typeof findVisibleGame>[1]) =>
    findVisibleGame(store, account, parseInput(appIdParam, params, 'path').appId)

  router.get(items, requireCapability('items.view'), (req, res) => {
    const game = gameOf(req.params, currentAccount(res))
    res.json(listItems(store.state, game, parseInput(itemsQuery, req.query, 'query')))
  })

  router.post(items, requireCapability('items.edit'), async (req, res) => {
    const game = gameOf(req.params, currentAccount(res))
    const item = await addItem(store, clock, game, parseInput(newItemBody, req.body, 'item'))
    res.status(201).json({ item })
  })

  router.get(`${items}/template`, requireCapability('items.downloadTemplate'), async (req, res) => {
    gameOf(req.params, currentAccount(res))
    sendFile(res, await templateWorkbook(), XLSX_TYPE, 'virtual-items-template.xlsx')
  })

  router.get(`${items}/export`, requireCapability('items.view'), async (req, res) => {
    const game = gameOf(req.params, currentAccount(res))
    const { format, version, ...filter } = parseInput(exportQuery, req.query, 'query')
    const rows: ItemRow[] = matchingItems(store.state, game, filter).flatMap((item) => {
      const chosen = version === 'released' ? releasedVersionOf(item) : workingVersionOf(item)
      return chosen ? [{ productId: item.productId, name: chosen.name, price: chosen.price, imageUrl: chosen.imageUrl, description: chosen.description }] : []
    })
    const name = `${game.appId}-items${version === 'released' ? '-released' : ''}`
    if (format === 'csv') sendFile(res, Buffer.from(itemsCsv(rows)), `${CSV_TYPE}; charset=utf-8`, `${name}.csv`)
    else sendFile(res, await itemsWorkbook(rows), XLSX_TYPE, `${name}.xlsx`)
  })

  files.post(
    `${items}/import`,
    signedIn,
    requireCapability('items.edit'),
    rawBody({ types: [XLSX_TYPE, 'application/octet-stream', CSV_TYPE], limitBytes: MAX_IMPORT_BYTES, limitText: '5 MiB', what: 'file' }),
    async (req, res) => {
      const game = gameOf(req.params, currentAccount(res))
      const options = parseInput(importQuery, req.query, 'query')
      const body = bodyBytes(req, `the .xlsx file (content-type ${XLSX_TYPE}) or the export's CSV (content-type ${CSV_TYPE})`)
      const format = req.is(CSV_TYPE) ? 'csv' : 'xlsx'
      res.json({ report: await importItems(store, clock, game, body, options, format) })
    },
  )

  router.post(`${items}/release`, requireCapability('items.requestRelease'), async (req, res) => {
    const account = currentAccount(res)
    const game = gameOf(req.params, account)
    const { productIds, message } = parseInput(releaseBody, req.body, 'release request')
    const outcome = await releaseItems(store, clock, account, game, productIds, message)
    res.status(outcome.approval ? 202 : 200).json(outcome)
  })

  router.post(`${items}/remove`, requireCapability('items.remove'), async (req, res) => {
    const game = gameOf(req.params, currentAccount(res))
    const { productIds } = parseInput(removeBody, req.body, 'remove request')
    res.json({ removed: await removeItems(store, clock, game, productIds) })
  })

  router.patch(`${items}/:productId`, requireCapability('items.edit'), async (req, res) => {
    const { productId } = parseInput(itemParams, req.params, 'path')
    const game = gameOf(req.params, currentAccount(res))
    res.json({ item: await editItem(store, clock, game, productId, parseInput(itemChangesBody, req.body, 'changes')) })
  })

  router.delete(`${items}/:productId`, requireCapability('items.remove'), async (req, res) => {
    const { productId } = parseInput(itemParams, req.params, 'path')
    await deleteItem(store, gameOf(req.params, currentAccount(res)), productId)
    res.json({ deleted: productId })
  })

  // An image on its own, before the item that uses it: the console's Add and Edit forms send
  // it first and then one item write with its imageUrl, so a refused image changes nothing
  // and an accepted one is part of a single add or edit (all or nothing).
  files.post(
    `/minigames/:appId/images`,
    signedIn,
    requireCapability('items.edit'),
    rawBody({ types: Object.values(IMAGE_TYPES), limitBytes: MAX_IMAGE_BYTES, limitText: IMAGE_LIMIT_TEXT, what: 'image' }),
    async (req, res) => {
      gameOf(req.params, currentAccount(res))
      const bytes = bodyBytes(req, `a PNG, JPEG or WebP image of at most ${IMAGE_LIMIT_TEXT} (content-type image/png, image/jpeg or image/webp)`)
      const file = await images.save(bytes, checkImage(bytes, req.get('content-type')))
      res.status(201).json({ imageUrl: `${UPLOADS_PATH}/${file}` })
    },
  )

  files.put(
    `${items}/:productId/image`,
    signedIn,
    requireCapability('items.edit'),
    rawBody({ types: Object.values(IMAGE_TYPES), limitBytes: MAX_IMAGE_BYTES, limitText: IMAGE_LIMIT_TEXT, what: 'image' }),
    async (req, res) => {
      const { productId } = parseInput(itemParams, req.params, 'path')
      const game = gameOf(req.params, currentAccount(res))
      const bytes = bodyBytes(req, `a PNG, JPEG or WebP image of at most ${IMAGE_LIMIT_TEXT} (content-type image/png, image/jpeg or image/webp)`)
      const format = checkImage(bytes, req.get('content-type'))
      // Checked before the file is written, so a refused upload leaves no stray image either.
      assertEditable(findItem(store.state, game, productId))
      const file = await images.save(bytes, format)
      res.json({ item: await editItem(store, clock, game, productId, { imageUrl: `${UPLOADS_PATH}/${file}` }) })
    },
  )

  return { json: router, files }
}

function sendFile(res: Response, body: Buffer, type: string, fileName: string): void {
  res.set({ 'content-type': type, 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' }).send(body)
}
