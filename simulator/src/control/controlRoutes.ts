import { Router } from 'express'
import { SimulatorError } from '../errors'
import { jsonBody } from '../http/guard'
import { defineRoute, mountRoutes } from '../http/routeDefinition'
import type { SimulatorCore } from '../sandbox/core'
import type { MiniGame, Order } from '../store/model'
import { orderForQa } from './qaOrder'
import {
  appIdParam,
  attemptView,
  clockBody,
  clockView,
  eventsQuery,
  eventsView,
  faultsBody,
  faultsView,
  miniGamePatchBody,
  miniGamePatchView,
  miniGameView,
  ordersQuery,
  paymentSheetBody,
  paymentSheetView,
  qaOrdersView,
  refundTriggerBody,
  refundTriggerView,
  resendBody,
  settingsBody,
  settingsView,
  testPushBody,
} from './schemas'

const route = defineRoute<SimulatorCore>()
const LOOPBACK = '403: not a loopback client'

function gameOf(core: SimulatorCore, appId: string): MiniGame {
  const game = core.store.state.miniGames.find((g) => g.appId === appId)
  if (!game) throw new SimulatorError('NOT_FOUND', `no mini game "${appId}" in sandbox ${core.name}`)
  return game
}

function clockOf({ clock }: SimulatorCore) {
  return { now: new Date(clock.now()).toISOString(), nowMs: clock.now(), frozen: clock.frozen, pendingTimers: clock.pendingTimers }
}

/**
 * The test-control API of one sandbox (`/_sim/`): the clock, the payment sheet policy,
 * events since a cursor, game configuration QA needs, order state, triggers and delivery
 * faults. Resets, fixtures and the sandbox list are in sandboxRoutes.ts. Loopback only: the
 * check is made once, above every sandbox (sandboxRoutes.ts), before these routes.
 */
export const CONTROL_ROUTES = [
  route({
    method: 'GET',
    path: '/settings',
    summary: 'Test control (loopback only): the simulator\'s QA settings.',
    response: settingsView,
    handler: ({ store }) => store.state.settings,
  }),
  route({
    method: 'PUT',
    path: '/settings',
    summary: 'Test control (loopback only): `autoApproveRefunds` approves players\' refund requests at once, without the superapp queue.',
    body: settingsBody,
    inputName: 'settings',
    response: settingsView,
    errors: ['400 VALIDATION_FAILED'],
    handler: async ({ store }, { body }) => {
      await store.mutate((state) => void Object.assign(state.settings, body))
      return store.state.settings
    },
  }),
  route({
    method: 'GET',
    path: '/clock',
    summary: 'Test control (loopback only): the sandbox clock.',
    response: clockView,
    handler: clockOf,
  }),
  route({
    method: 'POST',
    path: '/clock',
    summary:
      'Test control (loopback only): moves the sandbox clock forward (`advanceMs` or `set`), freezes or unfreezes it. Timers that fall due run in order at their own time (delivery retries, slow sheets); the call returns after the work they started (sheet answers, delivery attempts) finished.',
    body: clockBody,
    inputName: 'clock',
    response: clockView,
    errors: ['400 VALIDATION_FAILED', '409: `set` to an earlier time'],
    handler: async (core, { body }) => {
      const { clock, payments, delivery, events } = core
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
      return clockOf(core)
    },
  }),
  route({
    method: 'GET',
    path: '/payment-sheet',
    summary: 'Test control (loopback only): the sheet policy, global and per player.',
    response: paymentSheetView,
    handler: ({ payments }) => payments.policies.toJSON(),
  }),
  route({
    method: 'PUT',
    path: '/payment-sheet',
    summary:
      'Test control (loopback only): how sheets are answered, for one player or all. `manual` (default): the player answers (click, or the headless player). `confirm`, `cancel`, `fail` (with `errCode` -1, -2 or 1000): the host answers after `delayMs` of simulator time (a slow sheet), in the browser shell too.',
    body: paymentSheetBody,
    inputName: 'payment sheet policy',
    response: paymentSheetView,
    errors: ['400 VALIDATION_FAILED', '404: unknown player'],
    handler: (core, { body: { playerId, ...policy } }) => {
      const { store, payments } = core
      if (playerId !== undefined && !store.state.players.some((p) => p.id === playerId)) {
        throw new SimulatorError('NOT_FOUND', `no player "${playerId}" in sandbox ${core.name} (players: ${store.state.players.map((p) => p.id).join(', ')})`)
      }
      payments.policies.set(policy, playerId)
      return payments.policies.toJSON()
    },
  }),
  route({
    method: 'DELETE',
    path: '/payment-sheet',
    summary: 'Test control (loopback only): every sheet back to `manual`.',
    response: paymentSheetView,
    handler: ({ payments }) => {
      payments.policies.clear()
      return payments.policies.toJSON()
    },
  }),
  route({
    method: 'GET',
    path: '/events',
    summary:
      'Test control (loopback only): the sandbox\'s events after a cursor (`seq`), oldest first; `type` filters by prefix (`delivery.`). The last 10,000 are kept. Stream them live with the WebSocket `/_sim/events/stream?after=<seq>`.',
    query: eventsQuery,
    inputName: 'events query',
    response: eventsView,
    errors: ['400 VALIDATION_FAILED'],
    handler: ({ events }, { query: { after, limit, type } }) => {
      const list = events.since(after, limit, type)
      // The cursor moves past what was read; with a type filter, past everything scanned.
      const cursor = list.length === limit ? list.at(-1)!.seq : Math.max(after, events.cursor)
      return { events: list, cursor }
    },
  }),
  route({
    method: 'GET',
    path: '/minigames/:appId',
    summary: 'Test control (loopback only): what a test game server needs: AppKey, AppSecret, delivery URLs, payment permission.',
    params: appIdParam,
    response: miniGameView,
    errors: ['404: unknown mini game'],
    handler: (core, { params }) => {
      const game = gameOf(core, params.appId)
      return {
        appId: game.appId,
        name: game.name,
        appKey: game.appKey,
        appSecret: game.appSecret,
        paymentPermission: game.paymentPermission,
        deliveryUrl: game.delivery.url,
        testDeliveryUrl: game.delivery.testUrl,
        notificationsEnabled: game.delivery.enabled,
      }
    },
  }),
  route({
    method: 'PATCH',
    path: '/minigames/:appId',
    summary: 'Test control (loopback only): points the delivery URLs at a test game server.',
    params: appIdParam,
    body: miniGamePatchBody,
    inputName: 'mini game',
    response: miniGamePatchView,
    errors: ['400 VALIDATION_FAILED', '404: unknown mini game'],
    handler: async (core, { params, body: patch }) => {
      const { appId } = gameOf(core, params.appId)
      await core.store.mutate((state) => {
        const game = state.miniGames.find((g) => g.appId === appId)!
        if (patch.deliveryUrl !== undefined) game.delivery.url = patch.deliveryUrl
        if (patch.testDeliveryUrl !== undefined) game.delivery.testUrl = patch.testDeliveryUrl
        game.delivery.enabled = Boolean(game.delivery.url || game.delivery.testUrl)
      })
      const game = gameOf(core, appId)
      return { appId, deliveryUrl: game.delivery.url, testDeliveryUrl: game.delivery.testUrl, notificationsEnabled: game.delivery.enabled }
    },
  }),
  route({
    method: 'GET',
    path: '/orders',
    summary: 'Test control (loopback only): orders by `orderNo`, or a game\'s by `outTradeNo` or `playerId`, with status name, notifications (attempts) and refunds.',
    query: ordersQuery,
    inputName: 'orders query',
    response: qaOrdersView,
    errors: ['400 VALIDATION_FAILED'],
    handler: (core, { query }) => {
      const { store } = core
      let orders: Order[]
      if (query.orderNo) orders = [store.state.orders.get(query.orderNo)].filter((o): o is Order => Boolean(o))
      else if (query.outTradeNo) orders = [store.state.orders.firstByIndex('outTradeNo', `${query.appId}\n${query.outTradeNo}`)].filter((o): o is Order => Boolean(o))
      else if (query.playerId) orders = store.state.orders.byIndex('player', `${query.appId}\n${query.playerId}`)
      else orders = store.state.orders.filter((o) => o.appId === query.appId)
      orders = orders.filter((o) => (!query.appId || o.appId === query.appId) && (!query.playerId || o.playerId === query.playerId))
      return { orders: orders.map((o) => orderForQa(core, o)) }
    },
  }),
  route({
    method: 'POST',
    path: '/triggers/test-push',
    summary: 'Test control (loopback only): sends the game\'s test URL a test push now.',
    body: testPushBody,
    inputName: 'test push',
    response: attemptView,
    errors: ['404: unknown mini game'],
    handler: async (core, { body: { appId } }) => {
      gameOf(core, appId)
      return { attempt: await core.delivery.sendTestPush(appId) }
    },
  }),
  route({
    method: 'POST',
    path: '/triggers/refund',
    summary: 'Test control (loopback only): refunds an order as a player\'s request the superapp approves (the whole amount left); returns after the refund notification\'s first attempt.',
    body: refundTriggerBody,
    inputName: 'refund trigger',
    response: refundTriggerView,
    status: 201,
    errors: ['404: unknown order', '409: not refundable'],
    handler: async (core, { body: { orderNo, reason } }) => {
      const order = core.store.state.orders.get(orderNo)
      if (!order) throw new SimulatorError('NOT_FOUND', `no order ${orderNo} in sandbox ${core.name}`)
      // As a player's request the superapp approves: the whole amount left, notified to the game.
      let refund = await core.refunds.requestByPlayer(orderNo, order.playerId, reason)
      if (refund.status === 'pending_approval') refund = await core.refunds.approve(refund.refundNo, undefined)
      await core.delivery.idle()
      return { refund: { refundNo: refund.refundNo, amount: refund.amount, status: refund.status } }
    },
  }),
  route({
    method: 'POST',
    path: '/triggers/resend',
    summary: 'Test control (loopback only): sends a notification again now (outside its schedule).',
    body: resendBody,
    inputName: 'resend',
    response: attemptView,
    errors: ['404: unknown notification'],
    handler: async (core, { body: { notificationId } }) => {
      if (!core.store.state.outbox.get(notificationId)) throw new SimulatorError('NOT_FOUND', `no notification ${notificationId} in sandbox ${core.name}`)
      return { attempt: await core.delivery.resend(notificationId) }
    },
  }),
  route({
    method: 'GET',
    path: '/minigames/:appId/faults',
    summary: 'Test control (loopback only): the delivery faults armed for a mini game.',
    params: appIdParam,
    response: faultsView,
    errors: ['404: unknown mini game'],
    handler: (core, { params }) => ({
      faults: core.delivery.faults.list(gameOf(core, params.appId).appId).map(({ kind, remaining, delayMs }) => ({ kind, count: remaining, delayMs })),
    }),
  }),
  route({
    method: 'PUT',
    path: '/minigames/:appId/faults',
    summary:
      'Test control (loopback only): arms faults for the next `count` deliveries of a mini game. `duplicate` sends each twice; `delay` holds the first attempt `delayMs` on the simulator clock; `outOfOrder` holds deliveries until `count` are queued, then sends the newest first; `ignoreReply` treats a success reply as a failure, so the receiver sees a retry.',
    params: appIdParam,
    body: faultsBody,
    inputName: 'faults',
    response: faultsView,
    errors: ['400 VALIDATION_FAILED', '404: unknown mini game'],
    handler: (core, { params, body: { faults } }) => {
      const { appId } = gameOf(core, params.appId)
      const missingDelay = faults.find((f) => f.kind === 'delay' && f.delayMs === undefined)
      if (missingDelay) throw new SimulatorError('VALIDATION_FAILED', 'a delay fault needs delayMs')
      core.delivery.faults.set(appId, faults.map(({ kind, count, delayMs }) => ({ kind, remaining: count, delayMs })))
      return { faults }
    },
  }),
  route({
    method: 'DELETE',
    path: '/minigames/:appId/faults',
    summary: 'Test control (loopback only): disarms every delivery fault of a mini game.',
    params: appIdParam,
    response: faultsView,
    errors: ['404: unknown mini game'],
    handler: (core, { params }) => {
      core.delivery.faults.set(gameOf(core, params.appId).appId, [])
      return { faults: [] }
    },
  }),
].map((definition) => ({ ...definition, errors: [...(definition.errors ?? []), LOOPBACK] }))

/** One sandbox's test-control router, mounted from CONTROL_ROUTES. */
export function controlRoutes(core: SimulatorCore): Router {
  const router = Router()
  router.use(jsonBody('16kb'))
  return mountRoutes(router, CONTROL_ROUTES, core)
}
