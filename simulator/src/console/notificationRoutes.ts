import { Router } from 'express'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import type { OutboxNotification } from '../store/model'
import type { Store } from '../store/store'
import { currentAccount, requireCapability } from './auth'
import { notificationParams, notificationsQuery } from './schemas'
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

/** Deliveries: the outbox of a mini game, each attempt's request and reply, and resend. */
export function notificationRoutes(store: Store, delivery: DeliveryEngine): Router {
  const router = Router()

  const findNotification = (appId: string, id: string) => {
    const notification = store.state.outbox.get(id)
    if (!notification || notification.appId !== appId) throw new SimulatorError('NOT_FOUND', `no notification ${id} for ${appId}`)
    return notification
  }

  router.get('/minigames/:appId/notifications', requireCapability('orders.view'), (req, res) => {
    const { appId } = parseInput(notificationParams.pick({ appId: true }), req.params, 'path')
    const { state, kind, q } = parseInput(notificationsQuery, req.query, 'query')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const matches: OutboxNotification[] = []
    // Newest first, stopping at the limit: the outbox only grows.
    for (let i = store.state.outbox.length - 1; i >= 0 && matches.length < LIST_LIMIT; i--) {
      const n = store.state.outbox.at(i)!
      if (n.appId !== game.appId || (state && n.state !== state) || (kind && n.kind !== kind)) continue
      if (q && !n.orderNo.includes(q) && !n.outTradeNo.includes(q)) continue
      matches.push(n)
    }
    res.json({ notifications: matches.map(summary) })
  })

  router.get('/minigames/:appId/notifications/:id', requireCapability('orders.view'), (req, res) => {
    const { appId, id } = parseInput(notificationParams, req.params, 'path')
    findVisibleGame(store, currentAccount(res), appId)
    res.json(detail(findNotification(appId, id)))
  })

  router.post('/minigames/:appId/notifications/:id/resend', requireCapability('deliveryConfig.configure'), async (req, res) => {
    const { appId, id } = parseInput(notificationParams, req.params, 'path')
    findVisibleGame(store, currentAccount(res), appId)
    await delivery.resend(findNotification(appId, id).id)
    res.json({ notification: detail(findNotification(appId, id)) })
  })

  return router
}
