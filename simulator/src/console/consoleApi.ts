import { Router } from 'express'
import type { ImageStore } from '../catalog/images'
import type { Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { jsonBody } from '../http/guard'
import { mountRoutes, type AnyRouteDefinition } from '../http/routeDefinition'
import type { RefundService } from '../refunds/refundService'
import type { Store } from '../store/store'
import { authenticate, requireCapability } from './auth'
import { CONSOLE_ROUTES } from './consoleRoutes'
import { LoginLimiter } from './loginLimits'
import type { ConsoleServices } from './services'

/**
 * The console's REST API, mounted from its route definitions (consoleRoutes.ts). Everything
 * but logging in, the permission table and the OpenAPI document needs a session; each route
 * then names the capability it needs (permissions.ts).
 */
export function consoleApi(store: Store, clock: Clock, delivery: DeliveryEngine, images: ImageStore, refunds: RefundService): Router {
  // Built on first request: the document generator is not needed to start serving.
  let openapi: Record<string, unknown> | undefined
  const services: ConsoleServices = {
    store,
    clock,
    delivery,
    images,
    refunds,
    loginLimiter: new LoginLimiter(clock),
    openApi: async () => (openapi ??= (await import('../docs/renderApiDocs')).renderOpenApi()),
  }
  const router = Router()
  const signedIn = authenticate(store, clock)
  const capability = (route: AnyRouteDefinition<ConsoleServices>) => (route.capability ? [requireCapability(route.capability)] : [])
  const routes = (which: (route: AnyRouteDefinition<ConsoleServices>) => boolean) => CONSOLE_ROUTES.filter(which)
  // Routes whose body is a file (a workbook, an image) read it with their own content types,
  // before the JSON guard, and check the session themselves; every other route takes JSON only.
  mountRoutes(router, routes((r) => Boolean(r.upload)), services, (r) => [signedIn, ...capability(r)])
  router.use(jsonBody('64kb'))
  mountRoutes(router, routes((r) => !r.upload && !r.auth), services)
  router.use(signedIn)
  mountRoutes(router, routes((r) => !r.upload && r.auth === 'bearer'), services, capability)
  return router
}
