import { Router } from 'express'
import { z } from 'zod'
import { SimulatorError } from '../errors'
import { jsonBody } from '../http/guard'
import { parseInput } from '../http/validate'
import type { SimulatorCore } from '../sandbox/core'
import type { Order } from '../store/model'
import { orderForQa } from './qaOrder'
import { clockBody, eventsQuery, faultsBody, miniGamePatchBody, ordersQuery, paymentSheetBody, refundTriggerBody, resendBody, settingsBody, testPushBody } from './schemas'

const appIdParam = z.object({ appId: z.string().min(1).max(64) })

/**
 * The test-control API of one sandbox (`/_sim/`): the clock, the payment sheet policy,
 * events since a cursor, game configuration QA needs, order state, triggers and delivery
 * faults. Resets, fixtures and the sandbox list are in sandboxRoutes.ts.
 */
export function controlRoutes(core: SimulatorCore): Router {
  const { store, delivery, payments, clock, events } = core
  const router = Router()
  // Loopback is checked once, above every sandbox (sandboxRoutes.ts), before this router.
  router.use(jsonBody('16kb'))

  const gameOf = (params: unknown) => {
    const { appId } = parseInput(appIdParam, params, 'path')
    const game = store.state.miniGames.find((g) => g.appId === appId)
    if (!game) throw new SimulatorError('NOT_FOUND', `no mini game "${appId}" in sandbox ${core.name}`)
    return game
  }
  const clockView = () => ({ now: new Date(clock.now()).toISOString(), nowMs: clock.now(), frozen: clock.frozen, pendingTimers: clock.pendingTimers })

  router.get('/settings', (_req, res) => void res.json(store.state.settings))
  router.put('/settings', async (req, res) => {
    const settings = parseInput(settingsBody, req.body, 'settings')
    await store.mutate((state) => void Object.assign(state.settings, settings))
    res.json(store.state.settings)
  })

  router.get('/clock', (_req, res) => void res.json(clockView()))
  router.post('/clock', async (req, res) => {
    const body = parseInput(clockBody, req.body, 'clock')
    const from = clock.now()
    if (body.set !== undefined && Date.parse(body.set) < from) {
      throw new SimulatorError('CONFLICT', `the clock only moves forward: it is ${new Date(from).toISOString()}, asked for ${body.set}`)
    }
    if (body.frozen !== undefined) clock.freeze(body.frozen)
    const target = body.advanceMs !== undefined ? from + body.advanceMs : body.set !== undefined ? Date.parse(body.set) : from
    // Timer by timer, letting the work each one starts finish before the next: a delivery
    // attempt that fails books its retry from its own time, not from the end of the jump,
    // so one big move follows the retry schedule exactly as small ones do.
    for (let due = clock.nextDueAt(); due !== undefined && due <= target; due = clock.nextDueAt()) {
      clock.set(Math.max(due, clock.now()))
      await payments.idle()
      await delivery.idle()
    }
    if (target > clock.now()) clock.set(target)
    await payments.idle()
    await delivery.idle()
    events.emit({ type: 'clock.moved', from: new Date(from).toISOString(), to: new Date(clock.now()).toISOString(), frozen: clock.frozen })
    res.json(clockView())
  })

  router.get('/payment-sheet', (_req, res) => void res.json(payments.policies.toJSON()))
  router.put('/payment-sheet', (req, res) => {
    const { playerId, ...policy } = parseInput(paymentSheetBody, req.body, 'payment sheet policy')
    if (playerId !== undefined && !store.state.players.some((p) => p.id === playerId)) {
      throw new SimulatorError('NOT_FOUND', `no player "${playerId}" in sandbox ${core.name} (players: ${store.state.players.map((p) => p.id).join(', ')})`)
    }
    payments.policies.set(policy, playerId)
    res.json(payments.policies.toJSON())
  })
  router.delete('/payment-sheet', (_req, res) => {
    payments.policies.clear()
    res.json(payments.policies.toJSON())
  })

  router.get('/events', (req, res) => {
    const { after, limit, type } = parseInput(eventsQuery, req.query, 'events query')
    const list = events.since(after, limit, type)
    // The cursor moves past what was read; with a type filter, past everything scanned.
    const cursor = list.length === limit ? list.at(-1)!.seq : Math.max(after, events.cursor)
    res.json({ events: list, cursor })
  })

  router.get('/minigames/:appId', (req, res) => {
    const game = gameOf(req.params)
    res.json({
      appId: game.appId,
      name: game.name,
      appKey: game.appKey,
      appSecret: game.appSecret,
      paymentPermission: game.paymentPermission,
      deliveryUrl: game.delivery.url,
      testDeliveryUrl: game.delivery.testUrl,
      notificationsEnabled: game.delivery.enabled,
    })
  })
  router.patch('/minigames/:appId', async (req, res) => {
    const { appId } = gameOf(req.params)
    const patch = parseInput(miniGamePatchBody, req.body, 'mini game')
    await store.mutate((state) => {
      const game = state.miniGames.find((g) => g.appId === appId)!
      if (patch.deliveryUrl !== undefined) game.delivery.url = patch.deliveryUrl
      if (patch.testDeliveryUrl !== undefined) game.delivery.testUrl = patch.testDeliveryUrl
      game.delivery.enabled = Boolean(game.delivery.url || game.delivery.testUrl)
    })
    const game = store.state.miniGames.find((g) => g.appId === appId)!
    res.json({ appId, deliveryUrl: game.delivery.url, testDeliveryUrl: game.delivery.testUrl, notificationsEnabled: game.delivery.enabled })
  })

  router.get('/orders', (req, res) => {
    const query = parseInput(ordersQuery, req.query, 'orders query')
    let orders: Order[]
    if (query.orderNo) orders = [store.state.orders.get(query.orderNo)].filter((o): o is Order => Boolean(o))
    else if (query.outTradeNo) orders = [store.state.orders.firstByIndex('outTradeNo', `${query.appId}\n${query.outTradeNo}`)].filter((o): o is Order => Boolean(o))
    else if (query.playerId) orders = store.state.orders.byIndex('player', `${query.appId}\n${query.playerId}`)
    else orders = store.state.orders.filter((o) => o.appId === query.appId)
    orders = orders.filter((o) => (!query.appId || o.appId === query.appId) && (!query.playerId || o.playerId === query.playerId))
    res.json({ orders: orders.map((o) => orderForQa(core, o)) })
  })

  router.post('/triggers/test-push', async (req, res) => {
    const { appId } = parseInput(testPushBody, req.body, 'test push')
    gameOf({ appId })
    res.json({ attempt: await delivery.sendTestPush(appId) })
  })
  router.post('/triggers/refund', async (req, res) => {
    const { orderNo, reason } = parseInput(refundTriggerBody, req.body, 'refund trigger')
    const order = store.state.orders.get(orderNo)
    if (!order) throw new SimulatorError('NOT_FOUND', `no order ${orderNo} in sandbox ${core.name}`)
    // As a player's request the superapp approves: the whole amount left, notified to the game.
    let refund = await core.refunds.requestByPlayer(orderNo, order.playerId, reason)
    if (refund.status === 'pending_approval') refund = await core.refunds.approve(refund.refundNo, undefined)
    await delivery.idle()
    res.status(201).json({ refund: { refundNo: refund.refundNo, amount: refund.amount, status: refund.status } })
  })
  router.post('/triggers/resend', async (req, res) => {
    const { notificationId } = parseInput(resendBody, req.body, 'resend')
    if (!store.state.outbox.get(notificationId)) throw new SimulatorError('NOT_FOUND', `no notification ${notificationId} in sandbox ${core.name}`)
    res.json({ attempt: await delivery.resend(notificationId) })
  })

  router.get('/minigames/:appId/faults', (req, res) => {
    res.json({ faults: delivery.faults.list(gameOf(req.params).appId).map(({ kind, remaining, delayMs }) => ({ kind, count: remaining, delayMs })) })
  })
  router.put('/minigames/:appId/faults', (req, res) => {
    const { appId } = gameOf(req.params)
    const { faults } = parseInput(faultsBody, req.body, 'faults')
    const missingDelay = faults.find((f) => f.kind === 'delay' && f.delayMs === undefined)
    if (missingDelay) throw new SimulatorError('VALIDATION_FAILED', 'a delay fault needs delayMs')
    delivery.faults.set(appId, faults.map(({ kind, count, delayMs }) => ({ kind, remaining: count, delayMs })))
    res.json({ faults })
  })
  router.delete('/minigames/:appId/faults', (req, res) => {
    delivery.faults.set(gameOf(req.params).appId, [])
    res.json({ faults: [] })
  })

  return router
}
