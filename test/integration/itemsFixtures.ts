/**
 * Shared by the items*.test.ts files: binary requests to the console API, workbooks built
 * and read with exceljs, a tiny real PNG, and a payment signed with any price.
 */
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { serializeSignData } from '@superapp-sim/game-sdk'
import { signPaySig, signUserSignature } from '@superapp-sim/game-sdk'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import type { ConsoleClient } from '../support/console'
import { postJson } from '../support/http'
import type { Stack } from '../support/stack'

export const GEM = DEMO_GAME.appId
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const HEADER = ['Product ID', 'Name', 'Price (minor units)', 'Image URL', 'Description']

/** A real image from test/fixtures/images (made by Chromium's encoders; see images.test.ts). */
export const imageFixture = (name: string) => readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url))

/** A valid 1x1 PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

export interface BinaryReply {
  status: number
  json: any
  bytes: Buffer
  headers: Headers
}

/** A console call with a raw body (an .xlsx, an image) or none, answering bytes and, when JSON, the parsed body. */
export async function send(client: ConsoleClient, method: string, path: string, body?: Uint8Array | string, contentType?: string): Promise<BinaryReply> {
  const response = await fetch(`${client.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${client.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    // A copy as a plain ArrayBuffer: what fetch's typings take for binary bodies.
    body: typeof body === 'string' || body === undefined ? body : arrayBufferOf(body),
  })
  const bytes = Buffer.from(await response.arrayBuffer())
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    json = undefined
  }
  return { status: response.status, json, bytes, headers: response.headers }
}

export const importXlsx = (client: ConsoleClient, appId: string, file: Uint8Array, query = '') =>
  send(client, 'POST', `/minigames/${appId}/items/import${query ? `?${query}` : ''}`, file, XLSX)

/** An .xlsx with the given rows on a sheet (the template's header first unless `header` says otherwise). */
export async function workbook(rows: ExcelJS.CellValue[][], options: { header?: ExcelJS.CellValue[] | null; sheetName?: string } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet(options.sheetName ?? 'Items')
  if (options.header !== null) sheet.addRow(options.header ?? HEADER)
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await book.xlsx.writeBuffer())
}

/** The cell values of a workbook's sheet, row by row (index 0 is column A). */
export async function readSheet(file: Uint8Array, sheetName = 'Items'): Promise<ExcelJS.CellValue[][]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(arrayBufferOf(file))
  const sheet = book.getWorksheet(sheetName)!
  const rows: ExcelJS.CellValue[][] = []
  sheet.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)))
  return rows
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** Edits a workbook with exceljs, as a person would in Excel. */
export async function editWorkbook(file: Uint8Array, edit: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(arrayBufferOf(file))
  edit(book.getWorksheet('Items')!)
  return Buffer.from(await book.xlsx.writeBuffer())
}

/**
 * Opens a payment for any product at any price, correctly signed, as a game server that
 * believes that price would: the host's answer is the point.
 */
export async function openPayment(stack: Stack, productId: string, goodsPrice: number, playerId = 'player-1') {
  const code = await postJson(`${stack.sim.url}/host/api/login`, { appId: GEM, playerId })
  const session = (await fetch(
    `${stack.sim.url}/sns/jscode2session?${new URLSearchParams({ appid: GEM, secret: DEMO_GAME.appSecret, js_code: code.json.code, grant_type: 'authorization_code' })}`,
  ).then((r) => r.json())) as { session_key: string }
  const signData = serializeSignData({ productId, goodsPrice, buyQuantity: 1, currencyType: 'USD', outTradeNo: `T${Date.now()}${Math.floor(Math.random() * 1e6)}` })
  const params = { signData, paySig: signPaySig(DEMO_GAME.appKey, signData), signature: signUserSignature(session.session_key, signData) }
  const reply = await postJson(`${stack.sim.url}/host/api/payments`, { appId: GEM, playerId, params })
  return reply.json as { ok: boolean; errCode: number; errMsg: string; sheet?: { orderNo: string; name: string; imageUrl: string; unitPrice: number } }
}

/** Answers an open payment sheet with Pay. */
export async function pay(stack: Stack, orderNo: string, playerId = 'player-1') {
  const reply = await postJson(`${stack.sim.url}/host/api/payments/${orderNo}/confirm`, { playerId })
  await stack.sim.delivery.idle()
  return reply.json as { errCode: number }
}
