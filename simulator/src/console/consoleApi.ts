import { Router } from 'express'
import type { ImageStore } from '../catalog/images'
import { itemRoutes } from '../catalog/itemRoutes'
import type { Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import type { Store } from '../store/store'
import { jsonBody } from '../http/guard'
import { approvalRoutes } from './approvalRoutes'
import { authenticate } from './auth'
import { deliveryConfigRoutes } from './deliveryConfigRoutes'
import { requestDomainRoutes } from './requestDomainRoutes'
import { exemptionRoutes } from './exemptionRoutes'
import { mailboxRoutes } from './mailboxRoutes'
import { orderRoutes } from './orderRoutes'
import type { RefundService } from '../refunds/refundService'
import { notificationRoutes } from './notificationRoutes'
import { miniGameRoutes } from './miniGameRoutes'
import { sessionRoutes } from './sessionRoutes'

/**
 * The console's REST API. Everything but logging in and the permission table needs a
 * session; each route then names the capability it needs (permissions.ts).
 */
export function consoleApi(store: Store, clock: Clock, delivery: DeliveryEngine, images: ImageStore, refunds: RefundService): Router {
  const router = Router()
  // Routes whose body is a file (a workbook, an image) read it with their own content types;
  // every other route takes JSON only.
  const items = itemRoutes(store, clock, images)
  router.use(items.files)
  router.use(jsonBody('64kb'))
  router.use(sessionRoutes(store, clock))
  router.use(authenticate(store, clock))
  router.use(miniGameRoutes(store, clock))
  router.use(approvalRoutes(store, clock))
  router.use(deliveryConfigRoutes(store, clock, delivery))
  router.use(requestDomainRoutes(store))
  router.use(notificationRoutes(store, delivery))
  router.use(exemptionRoutes(store, clock))
  router.use(items.json)
  router.use(orderRoutes(store, clock, refunds))
  router.use(mailboxRoutes(store))
  return router
}
