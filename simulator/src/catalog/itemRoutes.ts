import type { Response } from 'express'
import { currentAccount } from '../console/auth'
import { appIdParam } from '../console/schemas'
import { consoleRoute, signedInErrors, type ConsoleServices } from '../console/services'
import { findVisibleGame } from '../console/visibility'
import type { ConsoleAccount } from '../store/model'
import { IMAGE_LIMIT_TEXT, IMAGE_TYPES, MAX_IMAGE_BYTES, UPLOADS_PATH, checkImage } from './images'
import { importItems } from './itemImport'
import { addItem, assertEditable, deleteItem, editItem, findItem, listItems, matchingItems } from './items'
import { releasedVersionOf, workingVersionOf } from './itemVersions'
import { bodyBytes, rawBody } from './rawBody'
import { releaseItems, removeItems } from './releases'
import {
  deletedItemView,
  exportQuery,
  importQuery,
  importView,
  itemChangesBody,
  itemPageView,
  itemParams,
  itemsQuery,
  newItemBody,
  oneItemView,
  releaseBody,
  releaseView,
  removeBody,
  removedItemsView,
  uploadedImageView,
} from './schemas'
import { CSV_TYPE, XLSX_TYPE, itemsCsv, itemsWorkbook, templateWorkbook, type ItemRow } from './spreadsheet'

/** An .xlsx of 1,000 item rows is about 40 KiB; 5 MiB leaves room for what Excel adds. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024

const ITEMS = '/minigames/:appId/items'
const IMAGE_EXPECTED = `a PNG, JPEG or WebP image of at most ${IMAGE_LIMIT_TEXT} (content-type image/png, image/jpeg or image/webp)`
const imageUpload = {
  content: { type: Object.values(IMAGE_TYPES).join(', '), description: `the image's raw bytes, at most ${IMAGE_LIMIT_TEXT}, checked against the content-type and walked for structure` },
  parser: rawBody({ types: Object.values(IMAGE_TYPES), limitBytes: MAX_IMAGE_BYTES, limitText: IMAGE_LIMIT_TEXT, what: 'image' }),
}

const gameOf = ({ store }: ConsoleServices, account: ConsoleAccount, appId: string) => findVisibleGame(store, account, appId)

/**
 * Virtual payment > Virtual item management: the item list, add/edit/delete, the Excel
 * template, import and export, images, and release/remove in batches. Each route names
 * the seed's capability; then the game must be one the caller sees (else 404). The three
 * routes whose body is a file (an .xlsx or CSV, an image) have an `upload`: the console
 * mounts them before its JSON guard, with the session check of their own.
 */
export const ITEM_ROUTES = {
  list: consoleRoute({
    method: 'GET',
    path: ITEMS,
    auth: 'bearer',
    capability: 'items.view',
    summary:
      "Virtual item management: a mini game's items, filtered by state and a search over product ID and name, a page at a time. Each item has its working copy, the `released` version players buy (null when not on sale) and the `unreleasedChanges` between them.",
    params: appIdParam,
    query: itemsQuery,
    response: itemPageView,
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: (services, { params, query }, res) => listItems(services.store.state, gameOf(services, currentAccount(res), params.appId), query),
  }),
  add: consoleRoute({
    method: 'POST',
    path: ITEMS,
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      "Adds an item as a draft. The product ID is signData's `productId`, unique per mini game; the price is in minor units. An image is needed before release: an `imageUrl` here or an upload (PUT …/image).",
    params: appIdParam,
    body: newItemBody,
    inputName: 'item',
    response: oneItemView,
    status: 201,
    errors: signedInErrors('400 VALIDATION_FAILED naming the field', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: the product ID exists'),
    handler: async (services, { params, body }, res) => ({ item: await addItem(services.store, services.clock, gameOf(services, currentAccount(res), params.appId), body) }),
  }),
  template: consoleRoute({
    method: 'GET',
    path: `${ITEMS}/template`,
    auth: 'bearer',
    capability: 'items.downloadTemplate',
    summary:
      'The import template (.xlsx): sheet "Items" with the header row `Product ID | Name | Price (minor units) | Image URL | Description` and one example row (skipped on import while unchanged), and a sheet of rules.',
    params: appIdParam,
    content: { type: XLSX_TYPE, description: 'virtual-items-template.xlsx, as an attachment' },
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async (services, { params }, res) => {
      gameOf(services, currentAccount(res), params.appId)
      sendFile(res, await templateWorkbook(), XLSX_TYPE, 'virtual-items-template.xlsx')
    },
  }),
  export: consoleRoute({
    method: 'GET',
    path: `${ITEMS}/export`,
    auth: 'bearer',
    capability: 'items.view',
    summary:
      'The item list as .xlsx or CSV in the template\'s columns, with the list\'s filters. `version=working` (default) exports what the team edits, for a round trip; `version=released` exports what players buy now (items on sale, their released versions): what a game server keeps its item list in step with (README "Virtual items").',
    params: appIdParam,
    query: exportQuery,
    content: {
      type: `${XLSX_TYPE}, ${CSV_TYPE}`,
      description: 'CSV is UTF-8 with a byte order mark, CRLF; text starting with = + - @, tab or CR, after any spaces, is written with a leading apostrophe',
    },
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async (services, { params, query: { format, version, ...filter } }, res) => {
      const game = gameOf(services, currentAccount(res), params.appId)
      const rows: ItemRow[] = matchingItems(services.store.state, game, filter).flatMap((item) => {
        const chosen = version === 'released' ? releasedVersionOf(item) : workingVersionOf(item)
        return chosen ? [{ productId: item.productId, name: chosen.name, price: chosen.price, imageUrl: chosen.imageUrl, description: chosen.description }] : []
      })
      const name = `${game.appId}-items${version === 'released' ? '-released' : ''}`
      if (format === 'csv') sendFile(res, Buffer.from(itemsCsv(rows)), `${CSV_TYPE}; charset=utf-8`, `${name}.csv`)
      else sendFile(res, await itemsWorkbook(rows), XLSX_TYPE, `${name}.xlsx`)
    },
  }),
  import: consoleRoute({
    method: 'POST',
    path: `${ITEMS}/import`,
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      "Imports items from an .xlsx in the template's format (content-type `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) or from the item export's CSV (content-type `text/csv`; the apostrophe the export puts before formula-like text comes off again): the raw file as the body, at most 5 MiB and 1,000 item rows. Every row is checked (product ID format and uniqueness in the file and against stored items, required name, price a whole number above 0 typed as a number, no formulas, lengths, image URL). Any error refuses the whole file unless `mode=validRowsOnly`; new items are drafts; `existing=update` lets a row replace a stored item's working copy (round trip: export, edit, import).",
    params: appIdParam,
    query: importQuery,
    upload: {
      content: { type: `${XLSX_TYPE}, ${CSV_TYPE}`, description: 'the file as the raw body, at most 5 MiB' },
      parser: rawBody({ types: [XLSX_TYPE, 'application/octet-stream', CSV_TYPE], limitBytes: MAX_IMPORT_BYTES, limitText: '5 MiB', what: 'file' }),
    },
    response: importView,
    errors: [
      '400 `{ error: { code: "VALIDATION_FAILED", message }, report }`: the file or some rows were refused (the report names row, column and cell); nothing was imported',
      ...signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    ],
    handler: async (services, { params, query }, res) => {
      const game = gameOf(services, currentAccount(res), params.appId)
      const body = bodyBytes(res.req, `the .xlsx file (content-type ${XLSX_TYPE}) or the export's CSV (content-type ${CSV_TYPE})`)
      const format = res.req.is(CSV_TYPE) ? 'csv' : 'xlsx'
      return { report: await importItems(services.store, services.clock, game, body, query, format) }
    },
  }),
  release: consoleRoute({
    method: 'POST',
    path: `${ITEMS}/release`,
    auth: 'bearer',
    capability: 'items.requestRelease',
    summary:
      "Releases a batch of items (drafts, removed items, or released items with unreleased changes; each needs an image). With the approval exemption they are released at once (200 `{ released, approval: null }`); otherwise they become pending_release and an `itemRelease` request goes to the superapp's approvals queue (202 `{ released: [], approval }`): approving releases them, rejecting returns them to draft (or to their released version). All or nothing.",
    params: appIdParam,
    body: releaseBody,
    inputName: 'release request',
    response: releaseView,
    statusOf: (outcome) => (outcome.approval ? 202 : 200),
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND: an unknown product ID', '409 CONFLICT naming each item that cannot be released'),
    handler: async (services, { params, body: { productIds, message } }, res) => {
      const account = currentAccount(res)
      return releaseItems(services.store, services.clock, account, gameOf(services, account, params.appId), productIds, message)
    },
  }),
  remove: consoleRoute({
    method: 'POST',
    path: `${ITEMS}/remove`,
    auth: 'bearer',
    capability: 'items.remove',
    summary: 'Takes a batch of released items off sale: the host refuses them with -15013 from then on; paid orders keep their item. All or nothing.',
    params: appIdParam,
    body: removeBody,
    inputName: 'remove request',
    response: removedItemsView,
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND: an unknown product ID', '409 CONFLICT naming each item not on sale'),
    handler: async (services, { params, body }, res) => ({
      removed: await removeItems(services.store, services.clock, gameOf(services, currentAccount(res), params.appId), body.productIds),
    }),
  }),
  edit: consoleRoute({
    method: 'PATCH',
    path: `${ITEMS}/:productId`,
    auth: 'bearer',
    capability: 'items.edit',
    summary: "Edits an item's working copy. On a released item the change is listed in `unreleasedChanges` and reaches players only when released again; until then the host charges the released version.",
    params: itemParams,
    body: itemChangesBody,
    inputName: 'changes',
    response: oneItemView,
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: a release request is pending'),
    handler: async (services, { params: { appId, productId }, body }, res) => ({
      item: await editItem(services.store, services.clock, gameOf(services, currentAccount(res), appId), productId, body),
    }),
  }),
  delete: consoleRoute({
    method: 'DELETE',
    path: `${ITEMS}/:productId`,
    auth: 'bearer',
    capability: 'items.remove',
    summary: 'Deletes an item that is not on sale (draft or removed); its product ID becomes free. Paid orders keep their own copy of the item.',
    params: itemParams,
    response: deletedItemView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: on sale (remove it first) or pending release'),
    handler: async (services, { params: { appId, productId } }, res) => {
      await deleteItem(services.store, gameOf(services, currentAccount(res), appId), productId)
      return { deleted: productId }
    },
  }),
  // An image on its own, before the item that uses it: the console's Add and Edit forms send
  // it first and then one item write with its imageUrl, so a refused image changes nothing
  // and an accepted one is part of a single add or edit (all or nothing).
  uploadImage: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/images',
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      "Uploads an image for an item not yet written: the raw bytes as the body (content-type `image/png`, `image/jpeg` or `image/webp`, checked against the bytes and their structure), at most 512 KiB. Answers the `imageUrl` to send in the add (POST …/items) or edit (PATCH …/items/{productId}) that uses it, so a refused image creates nothing and the item is written once, with its image. This is what the console's Add item form does.",
    params: appIdParam,
    upload: imageUpload,
    response: uploadedImageView,
    status: 201,
    errors: signedInErrors('400 VALIDATION_FAILED: not a whole PNG/JPEG/WebP, type mismatch, empty, or larger than 512 KiB', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async (services, { params }, res) => {
      gameOf(services, currentAccount(res), params.appId)
      const bytes = bodyBytes(res.req, IMAGE_EXPECTED)
      const file = await services.images.save(bytes, checkImage(bytes, res.req.get('content-type')))
      return { imageUrl: `${UPLOADS_PATH}/${file}` }
    },
  }),
  setImage: consoleRoute({
    method: 'PUT',
    path: `${ITEMS}/:productId/image`,
    auth: 'bearer',
    capability: 'items.edit',
    summary:
      "Uploads the item's image: the raw bytes as the body, content-type `image/png`, `image/jpeg` or `image/webp` (checked against the bytes), at most 512 KiB. Stored under the data folder (in memory with --memory), served at `/media/uploads/<hash>.<ext>` and set as the working copy's `imageUrl`.",
    params: itemParams,
    upload: imageUpload,
    response: oneItemView,
    errors: signedInErrors(
      '400 VALIDATION_FAILED: not a whole PNG/JPEG/WebP (its structure is walked: PNG chunks and CRCs IHDR..IEND, JPEG SOI..EOI, WebP RIFF size and VP8/VP8L/VP8X; nothing after the end), type mismatch, empty, or larger than 512 KiB',
      '403 FORBIDDEN',
      '404 NOT_FOUND',
      '409 CONFLICT: a release request is pending',
    ),
    handler: async (services, { params: { appId, productId } }, res) => {
      const game = gameOf(services, currentAccount(res), appId)
      const bytes = bodyBytes(res.req, IMAGE_EXPECTED)
      const format = checkImage(bytes, res.req.get('content-type'))
      // Checked before the file is written, so a refused upload leaves no stray image either.
      assertEditable(findItem(services.store.state, game, productId))
      const file = await services.images.save(bytes, format)
      return { item: await editItem(services.store, services.clock, game, productId, { imageUrl: `${UPLOADS_PATH}/${file}` }) }
    },
  }),
}

function sendFile(res: Response, body: Buffer, type: string, fileName: string): void {
  res.set({ 'content-type': type, 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' }).send(body)
}
