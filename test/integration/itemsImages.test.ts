import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConsoleClient } from '../support/console'
import { startStack, type Stack } from '../support/stack'
import { GEM, TINY_PNG, imageFixture, openPayment, send } from './itemsFixtures'

let stack: Stack | undefined
const dirs: string[] = []
afterEach(async () => {
  await stack?.close()
  stack = undefined
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

const JPEG = imageFixture('chromium.jpg')
const WEBP = imageFixture('lossy-vp8.webp')
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(40, 1)])

const upload = (client: ConsoleClient, productId: string, bytes: Uint8Array | string, type: string) =>
  send(client, 'PUT', `/minigames/${GEM}/items/${productId}/image`, bytes, type)

async function start(dataDir?: string) {
  stack = await startStack(dataDir ? { dataDir } : {})
  return { stack, developer: await ConsoleClient.login(stack, 'developer') }
}

describe('item images', () => {
  it('stores an uploaded PNG, JPEG or WebP, serves it, and points the working copy at it', async () => {
    const { stack, developer } = await start()
    for (const [bytes, type, ext] of [[TINY_PNG, 'image/png', 'png'], [JPEG, 'image/jpeg', 'jpg'], [WEBP, 'image/webp', 'webp']] as const) {
      const reply = await upload(developer, 'dragon_egg', bytes, type)
      expect(reply.status, JSON.stringify(reply.json)).toBe(200)
      const imageUrl: string = reply.json.item.imageUrl
      expect(imageUrl).toMatch(new RegExp(`^/media/uploads/[0-9a-f]{32}\\.${ext}$`))
      const served = await fetch(`${stack.sim.url}${imageUrl}`)
      expect(served.headers.get('content-type')).toBe(type)
      expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes)
    }
  })

  it('stores an image for an item not yet written, and refuses a bad one without storing anything (the Add form\'s first step)', async () => {
    const { stack, developer } = await start()
    const before = JSON.stringify(stack.sim.store.state)
    const refused = await send(developer, 'POST', `/minigames/${GEM}/images`, Buffer.from('<html></html>'), 'image/png')
    expect(refused.status).toBe(400)
    expect(refused.json.error.message).toMatch(/not a PNG, JPEG or WebP image/)
    const stored = await send(developer, 'POST', `/minigames/${GEM}/images`, TINY_PNG, 'image/png')
    expect(stored.status).toBe(201)
    expect(stored.json.imageUrl).toMatch(/^\/media\/uploads\/[0-9a-f]{32}\.png$/)
    expect(JSON.stringify(stack.sim.store.state)).toBe(before)
    const served = await fetch(`${stack.sim.url}${stored.json.imageUrl}`)
    expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG)
    const added = await developer.post(`/minigames/${GEM}/items`, { productId: 'with_image', name: 'With image', price: 100, imageUrl: stored.json.imageUrl })
    expect(added.json.item).toMatchObject({ productId: 'with_image', imageUrl: stored.json.imageUrl })
  })

  it('keeps showing the released image on the payment sheet until the new one is released', async () => {
    const { stack, developer } = await start()
    const reply = await upload(developer, 'golden_sword', TINY_PNG, 'image/png')
    expect(reply.json.item).toMatchObject({ state: 'released', unreleasedChanges: ['imageUrl'], released: { imageUrl: '/media/items/golden_sword.svg' } })
    expect((await openPayment(stack, 'golden_sword', 299)).sheet!.imageUrl).toBe('/media/items/golden_sword.svg')
  })

  it('refuses a wrong type, a mismatched content-type, an empty or oversized body, and an image with a page in it, with a 400 that says what is wrong', async () => {
    const { stack, developer } = await start()
    const before = JSON.stringify(stack.sim.store.state)
    const cases: [Uint8Array | string, string, RegExp][] = [
      [GIF, 'image/gif', /send a PNG, JPEG or WebP image of at most 512 KiB/],
      ['not an image at all', 'image/png', /not a PNG, JPEG or WebP image/],
      [TINY_PNG, 'image/jpeg', /body is a PNG image but content-type says "image\/jpeg"/],
      [Buffer.alloc(0), 'image/png', /empty|send a PNG/],
      [Buffer.concat([TINY_PNG, Buffer.alloc(512 * 1024)]), 'image/png', /^the image is larger than the 512 KiB limit$/],
      // Polyglots: image bytes first, a page behind them (issue 13 item 7).
      [Buffer.concat([TINY_PNG.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]), 'image/png', /^the file is not a valid PNG image: the PNG has no valid chunk at byte 8/],
      [Buffer.concat([TINY_PNG, Buffer.from('<html></html>')]), 'image/png', /after its IEND chunk/],
      [Buffer.concat([JPEG, Buffer.from('<html></html>')]), 'image/jpeg', /after its end marker \(EOI\)/],
    ]
    for (const [bytes, type, message] of cases) {
      const reply = await upload(developer, 'dragon_egg', bytes, type)
      expect(reply.status, `${type}: ${JSON.stringify(reply.json)}`).toBe(400)
      expect(reply.json.error.message).toMatch(message)
    }
    expect(JSON.stringify(stack.sim.store.state)).toBe(before)
  })

  it('stores nothing for an unknown item or one waiting for release', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-images-'))
    dirs.push(dataDir)
    const { developer } = await start(dataDir)
    const mpadmin = await ConsoleClient.login(stack!, 'mpadmin')
    expect((await upload(developer, 'ghost', TINY_PNG, 'image/png')).status).toBe(404)
    expect((await mpadmin.post(`/minigames/${GEM}/items/release`, { productIds: ['dragon_egg'] })).status).toBe(202)
    expect((await upload(developer, 'dragon_egg', TINY_PNG, 'image/png')).status).toBe(409)
    await expect(readdir(path.join(dataDir, 'uploads'))).rejects.toThrow()
  })

  it('keeps uploads in the data folder across a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-images-'))
    dirs.push(dataDir)
    const { developer } = await start(dataDir)
    const imageUrl: string = (await upload(developer, 'dragon_egg', TINY_PNG, 'image/png')).json.item.imageUrl
    await stack!.close()
    stack = await startStack({ dataDir })
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([path.basename(imageUrl)])
    const served = await fetch(`${stack.sim.url}${imageUrl}`)
    expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG)
  })

  it('serves the demo SVGs and answers unknown or malformed media names with 404', async () => {
    const { stack } = await start()
    const svg = await fetch(`${stack.sim.url}/media/items/golden_sword.svg`)
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    for (const name of ['items/nothing.svg', 'uploads/0123456789abcdef0123456789abcdef.png', 'uploads/..%2Fstate.json', 'uploads/x.png']) {
      const reply = await fetch(`${stack.sim.url}/media/${name}`)
      expect(reply.status, name).toBe(404)
      expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    }
  })
})
