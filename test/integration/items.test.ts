import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { MOON_RUNNER_APP_ID, STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { OrderStatus } from '../../simulator/src/store/model'
import { ConsoleClient } from '../support/console'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'
import { GEM, openPayment, pay } from './itemsFixtures'

let stack: Stack
beforeEach(async () => {
  stack = await startStack()
})
afterEach(async () => {
  await stack.close()
})

const snapshot = () => JSON.stringify(stack.sim.store.state)
const login = (username: string) => ConsoleClient.login(stack, username)
const items = (appId: string = GEM) => `/minigames/${appId}/items`
const newItem = (productId: string, extra: Record<string, unknown> = {}) => ({
  productId,
  name: `Item ${productId}`,
  price: 150,
  imageUrl: 'https://cdn.example.com/items/star.png',
  ...extra,
})
const stored = (productId: string) => stack.sim.store.state.items.find((i) => i.appId === GEM && i.productId === productId)

/** Releases through the superapp: the team files the request, superadmin approves it. */
async function releaseThroughApproval(team: ConsoleClient, productIds: string[]) {
  const requested = await team.post(`${items()}/release`, { productIds })
  expect(requested.status, JSON.stringify(requested.json)).toBe(202)
  const superadmin = await login('superadmin')
  const approved = await superadmin.post(`/approvals/${requested.json.approval.id}/approve`)
  expect(approved.status).toBe(200)
  return requested.json.approval
}

describe('the item list', () => {
  it('lists the demo items with the version on sale, by state, by search and a page at a time', async () => {
    const operator = await login('operator')
    const all = await operator.get(items())
    expect(all.status).toBe(200)
    expect(all.json.total).toBe(5)
    expect(all.json.counts).toEqual({ draft: 1, pending_release: 0, released: 4, removed: 0 })
    expect(all.json.items.find((i: { productId: string }) => i.productId === 'golden_sword')).toMatchObject({
      name: 'Golden Sword',
      price: 299,
      state: 'released',
      released: { name: 'Golden Sword', price: 299, imageUrl: '/media/items/golden_sword.svg' },
      unreleasedChanges: [],
    })
    expect((await operator.get(`${items()}?state=draft`)).json.items.map((i: { productId: string }) => i.productId)).toEqual(['dragon_egg'])
    expect((await operator.get(`${items()}?q=GEM`)).json.items.map((i: { productId: string }) => i.productId)).toEqual(['gem_pack_small', 'gem_chest'])
    const page2 = await operator.get(`${items()}?page=2&pageSize=2`)
    expect(page2.json).toMatchObject({ total: 5, page: 2, pageSize: 2 })
    expect(page2.json.items.map((i: { productId: string }) => i.productId)).toEqual(['swift_boots', 'gem_chest'])
  })

  it("shows the superapp every game's items and a team member only its own (404 for another team's)", async () => {
    expect((await (await login('platformadmin')).get(items(MOON_RUNNER_APP_ID))).json.total).toBe(0)
    expect((await (await login('developer')).get(items(MOON_RUNNER_APP_ID))).status).toBe(404)
    expect((await (await login('developer')).get(items(STAR_DRIFT_APP_ID))).status).toBe(200)
  })
})

describe('adding, editing and deleting', () => {
  it('adds a draft that the host refuses until it is released (-15013)', async () => {
    const developer = await login('developer')
    const added = await developer.post(items(), newItem('star_shard'))
    expect(added.status).toBe(201)
    expect(added.json.item).toMatchObject({ productId: 'star_shard', state: 'draft', released: null, price: 150 })
    expect((await openPayment(stack, 'star_shard', 150)).errCode).toBe(ErrCode.ITEM_NOT_RELEASED)
  })

  it('keeps product IDs unique per mini game, but the same ID may live in another game', async () => {
    const developer = await login('developer')
    expect((await developer.post(items(), newItem('golden_sword'))).status).toBe(409)
    expect((await developer.post(items(STAR_DRIFT_APP_ID), newItem('golden_sword'))).status).toBe(201)
  })

  it('charges the released price after an edit until the edit is released too', async () => {
    const mpadmin = await login('mpadmin')
    const edited = await mpadmin.call('PATCH', `${items()}/golden_sword`, { price: 349, name: 'Golden Sword+' })
    expect(edited.status).toBe(200)
    expect(edited.json.item).toMatchObject({ state: 'released', price: 349, released: { price: 299, name: 'Golden Sword' } })
    expect(edited.json.item.unreleasedChanges).toEqual(['name', 'price'])

    expect((await openPayment(stack, 'golden_sword', 349)).errCode).toBe(ErrCode.ITEM_PRICE_ERROR)
    const old = await openPayment(stack, 'golden_sword', 299)
    expect(old).toMatchObject({ ok: true, sheet: { name: 'Golden Sword', unitPrice: 299 } })
    await pay(stack, old.sheet!.orderNo)

    await releaseThroughApproval(mpadmin, ['golden_sword'])
    expect((await openPayment(stack, 'golden_sword', 299)).errCode).toBe(ErrCode.ITEM_PRICE_ERROR)
    expect(await openPayment(stack, 'golden_sword', 349)).toMatchObject({ ok: true, sheet: { name: 'Golden Sword+', unitPrice: 349 } })
    // The order paid before keeps the item as it was bought.
    expect(stack.sim.store.state.orders.find((o) => o.orderNo === old.sheet!.orderNo)!.item).toEqual({ name: 'Golden Sword', price: 299, imageUrl: '/media/items/golden_sword.svg' })
  })

  it('deletes a draft (its ID is free again) but not an item on sale', async () => {
    const mpadmin = await login('mpadmin')
    expect((await mpadmin.call('DELETE', `${items()}/dragon_egg`)).json).toEqual({ deleted: 'dragon_egg' })
    expect(stored('dragon_egg')).toBeUndefined()
    expect((await mpadmin.post(items(), newItem('dragon_egg'))).status).toBe(201)

    const before = snapshot()
    const refused = await mpadmin.call('DELETE', `${items()}/golden_sword`)
    expect(refused.status).toBe(409)
    expect(refused.json.error.message).toMatch(/on sale: remove it first/)
    expect((await mpadmin.call('DELETE', `${items()}/no_such_item`)).status).toBe(404)
    expect(snapshot()).toBe(before)
  })
})

describe('release through the superapp', () => {
  it('files one itemRelease request for a batch; approving releases them and mails the requester', async () => {
    const seniordev = await login('seniordev')
    await seniordev.post(items(), newItem('moon_gem'))
    await seniordev.post(items(), newItem('sun_gem', { price: 250 }))
    const requested = await seniordev.post(`${items()}/release`, { productIds: ['moon_gem', 'sun_gem'], message: 'Two new gems' })
    expect(requested.status).toBe(202)
    expect(requested.json.approval).toMatchObject({ kind: 'itemRelease', status: 'pending', productIds: ['moon_gem', 'sun_gem'], message: 'Two new gems' })
    expect(stored('moon_gem')).toMatchObject({ state: 'pending_release', releaseRequestId: requested.json.approval.id })
    expect((await openPayment(stack, 'moon_gem', 150)).errCode).toBe(ErrCode.ITEM_NOT_RELEASED)

    const superadmin = await login('superadmin')
    const queue = await superadmin.get('/approvals?status=pending')
    expect(queue.json.approvals).toEqual([expect.objectContaining({ id: requested.json.approval.id, kind: 'itemRelease', productIds: ['moon_gem', 'sun_gem'], miniGameName: 'Gem Quest' })])
    await superadmin.post(`/approvals/${requested.json.approval.id}/approve`)

    expect(stored('moon_gem')).toMatchObject({ state: 'released', released: { price: 150, name: 'Item moon_gem' } })
    expect(stored('moon_gem')!.releaseRequestId).toBeUndefined()
    const sheet = await openPayment(stack, 'sun_gem', 250)
    expect(sheet).toMatchObject({ ok: true, sheet: { name: 'Item sun_gem', imageUrl: 'https://cdn.example.com/items/star.png' } })
    expect(await pay(stack, sheet.sheet!.orderNo)).toMatchObject({ errCode: 0 })
    const mail = (await seniordev.get('/mailbox')).json.messages[0]
    expect(mail.subject).toBe('Item release for Gem Quest: approved')
    expect(mail.body).toContain('moon_gem, sun_gem')
  })

  it('returns a rejected new item to draft and a rejected change to the version on sale', async () => {
    const mpadmin = await login('mpadmin')
    await mpadmin.post(items(), newItem('comet'))
    await mpadmin.call('PATCH', `${items()}/swift_boots`, { price: 249 })
    const requested = await mpadmin.post(`${items()}/release`, { productIds: ['comet', 'swift_boots'] })
    // While the change waits for the superapp, the boots still sell at the released price.
    expect((await openPayment(stack, 'swift_boots', 199)).ok).toBe(true)
    const rejected = await (await login('platformadmin')).post(`/approvals/${requested.json.approval.id}/reject`, { reason: 'price too high' })
    expect(rejected.json.approval.status).toBe('rejected')
    expect(stored('comet')).toMatchObject({ state: 'draft' })
    expect(stored('swift_boots')).toMatchObject({ state: 'released', price: 249, released: { price: 199 } })
    expect((await openPayment(stack, 'swift_boots', 249, 'player-2')).errCode).toBe(ErrCode.ITEM_PRICE_ERROR)
  })

  it('releases at once when the game holds the approval exemption', async () => {
    const mpadmin = await login('mpadmin')
    const request = await mpadmin.post(`/minigames/${GEM}/exemption/requests`, { message: 'we follow the rules' })
    await (await login('superadmin')).post(`/approvals/${request.json.approval.id}/approve`)
    await mpadmin.post(items(), newItem('nova'))
    const released = await mpadmin.post(`${items()}/release`, { productIds: ['nova'] })
    expect(released.status).toBe(200)
    expect(released.json.approval).toBeNull()
    expect(released.json.released).toEqual([expect.objectContaining({ productId: 'nova', state: 'released' })])
    expect(stack.sim.store.state.approvals.filter((a) => a.kind === 'itemRelease')).toHaveLength(0)
    expect((await openPayment(stack, 'nova', 150)).ok).toBe(true)
  })

  it('freezes an item while its release request is pending', async () => {
    const mpadmin = await login('mpadmin')
    await mpadmin.post(items(), newItem('frozen'))
    await mpadmin.post(`${items()}/release`, { productIds: ['frozen'] })
    const before = snapshot()
    expect((await mpadmin.call('PATCH', `${items()}/frozen`, { price: 1 })).status).toBe(409)
    expect((await mpadmin.call('DELETE', `${items()}/frozen`)).status).toBe(409)
    expect((await mpadmin.post(`${items()}/release`, { productIds: ['frozen'] })).status).toBe(409)
    expect((await mpadmin.post(`${items()}/remove`, { productIds: ['frozen'] })).status).toBe(409)
    expect(snapshot()).toBe(before)
  })

  it('refuses a whole batch when one item cannot be released, naming each problem', async () => {
    const mpadmin = await login('mpadmin')
    await mpadmin.post(items(), newItem('no_image', { imageUrl: '' }))
    const before = snapshot()
    const refused = await mpadmin.post(`${items()}/release`, { productIds: ['dragon_egg', 'no_image', 'golden_sword'] })
    expect(refused.status).toBe(409)
    expect(refused.json.error.message).toContain('no_image has no image')
    expect(refused.json.error.message).toContain('golden_sword is released and has no changes to release')
    const unknown = await mpadmin.post(`${items()}/release`, { productIds: ['dragon_egg', 'ghost'] })
    expect(unknown.status).toBe(404)
    expect(unknown.json.error.message).toContain('ghost')
    expect(snapshot()).toBe(before)
  })
})

describe('removing from sale', () => {
  it('refuses a removed item at the payment call (-15013), keeps paid orders, and lets it be released again', async () => {
    const mpadmin = await login('mpadmin')
    const { orderNo } = await new ScriptedPlayer(stack, 'player-2').buy('gem_chest')
    const removed = await mpadmin.post(`${items()}/remove`, { productIds: ['gem_chest', 'gem_pack_small'] })
    expect(removed.status).toBe(200)
    expect(removed.json.removed.map((i: { state: string }) => i.state)).toEqual(['removed', 'removed'])
    const refusal = await openPayment(stack, 'gem_chest', 499)
    expect(refusal.errCode).toBe(ErrCode.ITEM_NOT_RELEASED)
    expect(refusal.errMsg).toMatch(/removed from sale/)
    const order = stack.sim.store.state.orders.find((o) => o.orderNo === orderNo)!
    expect(order.status).toBe(OrderStatus.DELIVERED)
    expect(order.item.name).toBe('Chest of Gems')

    await releaseThroughApproval(mpadmin, ['gem_chest'])
    expect((await openPayment(stack, 'gem_chest', 499)).ok).toBe(true)
  })

  it('removes nothing when the batch holds an item that is not on sale', async () => {
    const mpadmin = await login('mpadmin')
    const before = snapshot()
    const refused = await mpadmin.post(`${items()}/remove`, { productIds: ['golden_sword', 'dragon_egg'] })
    expect(refused.status).toBe(409)
    expect(refused.json.error.message).toMatch(/dragon_egg is not on sale \(draft\): delete it instead/)
    expect(snapshot()).toBe(before)
  })

  it('takes every item on sale off when the superapp revokes the exemption', async () => {
    const mpadmin = await login('mpadmin')
    const request = await mpadmin.post(`/minigames/${GEM}/exemption/requests`, { message: 'we follow the rules' })
    const superadmin = await login('superadmin')
    await superadmin.post(`/approvals/${request.json.approval.id}/approve`)
    const revoked = await superadmin.post(`/minigames/${GEM}/exemption/revoke`, { reason: 'rules broken' })
    expect(revoked.json.removedItems).toBe(4)
    expect((await openPayment(stack, 'golden_sword', 299)).errCode).toBe(ErrCode.ITEM_NOT_RELEASED)
  })
})

describe('bad input to the item routes', () => {
  it('answers every malformed call with a 4xx naming the problem and changes nothing', async () => {
    const mpadmin = await login('mpadmin')
    const before = snapshot()
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', items(), { ...newItem('bad id!') }, 400, /product ID/],
      ['POST', items(), { ...newItem('.') }, 400, /product ID/],
      ['POST', items(), { ...newItem('x'.repeat(65)) }, 400, /product ID/],
      ['POST', items(), { ...newItem('ok_id', { price: 0 }) }, 400, /above 0/],
      ['POST', items(), { ...newItem('ok_id', { price: -5 }) }, 400, /above 0/],
      ['POST', items(), { ...newItem('ok_id', { price: 2.99 }) }, 400, /whole number/],
      ['POST', items(), { ...newItem('ok_id', { price: '299' }) }, 400, /price/],
      ['POST', items(), { ...newItem('ok_id', { name: '' }) }, 400, /name is required/],
      ['POST', items(), { ...newItem('ok_id', { name: 'n'.repeat(65) }) }, 400, /at most 64/],
      ['POST', items(), { ...newItem('ok_id', { description: 'd'.repeat(501) }) }, 400, /at most 500/],
      ['POST', items(), { ...newItem('ok_id', { imageUrl: 'javascript:alert(1)' }) }, 400, /http\(s\) URL/],
      ['POST', items(), { ...newItem('ok_id', { imageUrl: '/media/../state.json' }) }, 400, /http\(s\) URL/],
      ['POST', items(), { ...newItem('ok_id', { prize: 5 }) }, 400, /prize/],
      ['POST', items(), '{not json', 400, /not valid JSON/],
      ['POST', items(), [], 400, /item/],
      ['PATCH', `${items()}/golden_sword`, {}, 400, /at least one/],
      ['PATCH', `${items()}/golden_sword`, { productId: 'renamed' }, 400, /productId/],
      ['PATCH', `${items()}/ghost`, { price: 5 }, 404, /no item ghost/],
      ['POST', `${items()}/release`, { productIds: [] }, 400, /at least one/],
      ['POST', `${items()}/release`, { productIds: ['golden_sword', 'golden_sword'] }, 400, /once/],
      ['POST', `${items()}/release`, { productIds: 'golden_sword' }, 400, /productIds/],
      ['POST', `${items()}/remove`, { productIds: ['ghost'] }, 404, /ghost/],
      ['GET', `${items()}?state=sold`, undefined, 400, /state/],
      ['GET', `${items()}?pageSize=1000`, undefined, 400, /pageSize/],
      ['GET', `${items()}/export?format=pdf`, undefined, 400, /format/],
      ['GET', `${items(MOON_RUNNER_APP_ID)}`, undefined, 404, /no mini game/],
    ]
    for (const [method, path, body, status, message] of cases) {
      const reply = await mpadmin.call(method, path, body)
      expect(reply.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(reply.json)}`).toBe(status)
      expect(reply.json.error.message).toMatch(message)
    }
    expect(snapshot()).toBe(before)
  })
})
