import { SimulatorError } from '../errors'
import type { OutboxNotification } from '../store/model'
import type { Store } from '../store/store'
import { currentAccount } from './auth'
import { notificationDetailView, notificationParams, notificationsQuery, notificationsView, resentNotificationView } from './schemas'
import { consoleRoute, signedInErrors } from './services'
import { findVisibleGame } from './visibility'

const LIST_LIMIT = 200

function summary(n: OutboxNotification) {
  return {
    id: n.id,
    kind: n.kind,
    orderNo: n.orderNo,
    outTradeNo: n.outTradeNo,
    refundNo: n.refundNo,
    target: n.target,
    state: n.state,
    attemptCount: n.attempts.length,
    lastAttempt: n.attempts.at(-1),
    nextAttemptAt: n.nextAttemptAt,
    createdAt: n.createdAt,
  }
}

function detail(n: OutboxNotification) {
  return { ...summary(n), requestHeaders: n.requestHeaders, body: n.body, attempts: n.attempts }
}

function findNotification(store: Store, appId: string, id: string): OutboxNotification {
  const notification = store.state.outbox.get(id)
  if (!notification || notification.appId !== appId) throw new SimulatorError('NOT_FOUND', `no notification ${id} for ${appId}`)
  return notification
}

/** Deliveries: the outbox of a mini game, each attempt's request and reply, and resend. */
export const NOTIFICATION_ROUTES = {
  list: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/notifications',
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'Deliveries: the outbox of a mini game (delivery, refund and test notifications), newest first, at most 200.',
    params: notificationParams.pick({ appId: true }),
    query: notificationsQuery,
    response: notificationsView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params: { appId }, query: { state, kind, q } }, res) => {
      const game = findVisibleGame(store, currentAccount(res), appId)
      const matches: OutboxNotification[] = []
      // Newest first, stopping at the limit: the outbox only grows.
      for (let i = store.state.outbox.length - 1; i >= 0 && matches.length < LIST_LIMIT; i--) {
        const n = store.state.outbox.at(i)!
        if (n.appId !== game.appId || (state && n.state !== state) || (kind && n.kind !== kind)) continue
        if (q && !n.orderNo.includes(q) && !n.outTradeNo.includes(q)) continue
        matches.push(n)
      }
      return { notifications: matches.map(summary) }
    },
  }),
  one: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/notifications/:id',
    auth: 'bearer',
    capability: 'orders.view',
    summary: 'One notification: the exact body and headers sent, and every attempt (time, URL, status, reply, latency, outcome, reason, manual, fault).',
    params: notificationParams,
    response: notificationDetailView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params: { appId, id } }, res) => {
      findVisibleGame(store, currentAccount(res), appId)
      return detail(findNotification(store, appId, id))
    },
  }),
  resend: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/notifications/:id/resend',
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary: 'Sends a notification again now. A success delivers it (and its order); a failure leaves its schedule as it was.',
    params: notificationParams,
    response: resentNotificationView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async ({ store, delivery }, { params: { appId, id } }, res) => {
      findVisibleGame(store, currentAccount(res), appId)
      await delivery.resend(findNotification(store, appId, id).id)
      return { notification: detail(findNotification(store, appId, id)) }
    },
  }),
}
