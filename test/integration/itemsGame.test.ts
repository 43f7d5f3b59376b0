import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { startSampleGame } from '../../sample-game/server/app'
import { OrderStatus } from '../../simulator/src/store/model'
import { ConsoleClient } from '../support/console'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'
import { GEM } from './itemsFixtures'

let stack: Stack
beforeEach(async () => {
  stack = await startStack()
})
afterEach(async () => {
  await stack.close()
})

interface ShopAnswer {
  currency: string
  items: { productId: string; name: string; price: number; imageUrl: string; released: boolean; color: string }[]
}
const shop = async (url = stack.game.url) => (await (await fetch(`${url}/api/shop`)).json()) as ShopAnswer

/** mpadmin adds items and the superapp approves their release. */
async function releaseNew(...items: { productId: string; name: string; price: number; imageUrl: string }[]) {
  const mpadmin = await ConsoleClient.login(stack, 'mpadmin')
  for (const item of items) expect((await mpadmin.post(`/minigames/${GEM}/items`, item)).status).toBe(201)
  const request = await mpadmin.post(`/minigames/${GEM}/items/release`, { productIds: items.map((i) => i.productId) })
  await (await ConsoleClient.login(stack, 'superadmin')).post(`/approvals/${request.json.approval.id}/approve`)
  return mpadmin
}

describe("the sample game's shop follows the console's released catalog", () => {
  it('lists the released items with their names, prices and images, and the unreleased Dragon Egg as not released', async () => {
    const answer = await shop()
    expect(answer.items.map((i) => i.productId)).toEqual(['gem_pack_small', 'golden_sword', 'swift_boots', 'gem_chest', 'dragon_egg'])
    expect(answer.items[1]).toMatchObject({ name: 'Golden Sword', price: 299, imageUrl: `${stack.sim.url}/media/items/golden_sword.svg`, released: true, color: '#ffc83d' })
    expect(answer.items[4]).toMatchObject({ productId: 'dragon_egg', price: 999, imageUrl: '', released: false })
  })

  it('shows an item released in the console on the next visit, and a player buys it through the game server', async () => {
    await releaseNew({ productId: 'rainbow_gem', name: 'Rainbow Gem', price: 777, imageUrl: '/media/items/gem_chest.svg' })
    const listed = (await shop()).items.find((i) => i.productId === 'rainbow_gem')
    expect(listed).toMatchObject({ name: 'Rainbow Gem', price: 777, imageUrl: `${stack.sim.url}/media/items/gem_chest.svg`, released: true })

    const player = new ScriptedPlayer(stack)
    const { orderNo, started } = await player.buy('rainbow_gem')
    expect(started.sheet).toMatchObject({ name: 'Rainbow Gem', totalPrice: 777 })
    expect(stack.sim.store.state.orders.find((o) => o.orderNo === orderNo)!.status).toBe(OrderStatus.DELIVERED)
    expect((await player.inventory()).items).toEqual([{ productId: 'rainbow_gem', name: 'Rainbow Gem', quantity: 1 }])
  })

  it('signs orders for an item released after the last shop visit, without another visit', async () => {
    await shop()
    await releaseNew({ productId: 'late_gem', name: 'Late Gem', price: 120, imageUrl: 'https://cdn.example.com/late.png' })
    const { started } = await new ScriptedPlayer(stack).buy('late_gem')
    expect(started).toMatchObject({ ok: true, sheet: { totalPrice: 120 } })
  })

  it('picks up a released price change, and an item removed in the console leaves the released list', async () => {
    const mpadmin = await ConsoleClient.login(stack, 'mpadmin')
    await mpadmin.call('PATCH', `/minigames/${GEM}/items/swift_boots`, { price: 249 })
    expect((await shop()).items.find((i) => i.productId === 'swift_boots')!.price).toBe(199)
    const request = await mpadmin.post(`/minigames/${GEM}/items/release`, { productIds: ['swift_boots'] })
    await (await ConsoleClient.login(stack, 'superadmin')).post(`/approvals/${request.json.approval.id}/approve`)
    expect((await shop()).items.find((i) => i.productId === 'swift_boots')!.price).toBe(249)
    expect((await new ScriptedPlayer(stack).buy('swift_boots')).started).toMatchObject({ ok: true, sheet: { totalPrice: 249 } })

    await mpadmin.post(`/minigames/${GEM}/items/remove`, { productIds: ['gem_chest'] })
    expect((await shop()).items.find((i) => i.productId === 'gem_chest')!.released).toBe(false)
    const refused = await new ScriptedPlayer(stack, 'player-2').buy('gem_chest')
    expect(refused.started).toMatchObject({ ok: false, errCode: ErrCode.ITEM_NOT_RELEASED })
  })

  it("falls back to the game's own list while the console cannot be reached", async () => {
    const logs: string[] = []
    const offline = await startSampleGame({ port: 0, memory: true, simulatorUrl: 'http://127.0.0.1:1', log: (m) => logs.push(m) })
    try {
      const answer = await shop(offline.url)
      expect(answer.items.map((i) => [i.productId, i.price, i.released])).toEqual([
        ['gem_pack_small', 99, true],
        ['golden_sword', 299, true],
        ['swift_boots', 199, true],
        ['gem_chest', 499, true],
        ['dragon_egg', 999, false],
      ])
      // Said once, not on every visit.
      expect(logs.filter((m) => m.includes('could not sync'))).toHaveLength(1)
    } finally {
      await offline.close()
    }
  })
})
