import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDeliveryNotification } from '@superapp-sim/game-sdk/testing'
import { SAMPLE_GAME } from '../shared/catalog'
import { startSampleGame, type RunningSampleGame } from './app'

let game: RunningSampleGame
beforeAll(async () => {
  game = await startSampleGame({ port: 0, memory: true, consoleAccount: false, log: () => {} })
})
afterAll(async () => {
  await game.close()
})

const OPENID = 'oSamplePlayer0000000000000000'
let orderCount = 0

/** An order this server signed: golden_sword x1 at 299, as POST /api/orders records it. */
async function signedOrder(quantity = 1) {
  const outTradeNo = `GQTEST${++orderCount}`
  await game.inventory.addOrder({ outTradeNo, openid: OPENID, productId: 'golden_sword', quantity, price: 299, createdAt: new Date().toISOString() })
  return outTradeNo
}

async function notify(outTradeNo: string, goods: { ProductId?: string; Quantity?: number; OrigPrice?: number; ActualPrice?: number }) {
  const body = createTestDeliveryNotification(SAMPLE_GAME.appKey, { OpenId: OPENID, OutTradeNo: outTradeNo, GoodsInfo: { ProductId: 'golden_sword', ...goods } })
  const response = await fetch(`${game.url}/api/delivery`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  return { status: response.status, reply: (await response.json()) as { returnCode: string; returnMessage: string } }
}

describe("the sample server's delivery receiver checks the notification against its own order", () => {
  it('grants what it signed for: product, quantity and the price paid', async () => {
    const outTradeNo = await signedOrder(2)
    const { reply } = await notify(outTradeNo, { Quantity: 2, OrigPrice: 598, ActualPrice: 598 })
    expect(reply.returnCode).toBe('0')
    expect(game.inventory.grantsOf(OPENID).find((g) => g.outTradeNo === outTradeNo)).toMatchObject({ productId: 'golden_sword', quantity: 2 })
  })

  it.each([
    ['a quantity of 99 against an order signed for 1', { Quantity: 99, OrigPrice: 299, ActualPrice: 299 }, /delivers quantity 99, but this server signed the order for 1/],
    ['another product', { ProductId: 'gem_chest', Quantity: 1, OrigPrice: 299, ActualPrice: 299 }, /delivers product gem_chest, but this server signed the order for golden_sword/],
    ["a price paid that is not the order total", { Quantity: 1, OrigPrice: 1, ActualPrice: 1 }, /says 1 paid, but this server signed the order for 299/],
  ])('refuses %s, grants nothing and answers a failure so the host keeps the order undelivered', async (_name, goods, message) => {
    const outTradeNo = await signedOrder(1)
    const { status, reply } = await notify(outTradeNo, goods)
    expect(status).toBe(500)
    expect(reply.returnCode).not.toBe('0')
    expect(reply.returnMessage).toMatch(message)
    expect(game.inventory.grantsOf(OPENID).find((g) => g.outTradeNo === outTradeNo)).toBeUndefined()
  })
})
