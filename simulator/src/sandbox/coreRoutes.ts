/**
 * The routes over one sandbox's core, mounted once per core: the composition root of the
 * simulator's per-sandbox API (app.ts serves the sandbox-independent pages around it). Apart
 * from core.ts so the domain never imports a route file.
 */
import { Router } from 'express'
import { mediaRoutes } from '../catalog/mediaRoutes'
import { CONSOLE_API_BASE } from '../console/apiBase'
import { consoleApi } from '../console/consoleApi'
import { controlRoutes } from '../control/controlRoutes'
import { hostApiRoutes } from '../host/hostRoutes'
import { loginRoutes } from '../login/loginRoutes'
import { xpayRoutes } from '../serverApi/xpayRoutes'
import type { SimulatorCore } from './core'

const routers = new WeakMap<SimulatorCore, Router>()

/** The router over `core`'s services, built on its first request and kept while the core lives. */
export function coreRoutes(core: SimulatorCore): Router {
  let router = routers.get(core)
  if (!router) {
    router = Router()
    router.use(loginRoutes(core.logins))
    router.use(xpayRoutes(core.store, core.clock, core.delivery, core.refunds))
    router.use('/host/api', hostApiRoutes({ store: core.store, logins: core.logins, payments: core.payments, refunds: core.refunds, fetch: core.fetch ?? fetch }))
    router.use(CONSOLE_API_BASE, consoleApi(core.store, core.clock, core.delivery, core.images, core.refunds))
    router.use('/_sim', controlRoutes(core))
    router.use(mediaRoutes(core.images))
    routers.set(core, router)
  }
  return router
}
