/**
 * The routes an Express app or router actually mounts, read from its router stack: what the
 * route definitions and the generated docs are compared with (test/integration/apiRoutes.test.ts).
 */
import type { Router } from 'express'
import { openApiPath } from './routeDefinition'

/** One mounted route: an upper-case method and an OpenAPI-style path (`/minigames/{appId}`). */
export interface MountedRoute {
  method: string
  path: string
}

interface StackLayer {
  rawPath?: string | string[]
  route?: { path: string | string[]; stack: { method?: string }[] }
  handle?: { stack?: StackLayer[] }
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/'
  return `${prefix}${path}`
}

/**
 * Every route below `router`, with `prefix` before each path: routes of mounted sub-routers
 * too, a route once per method. Middleware mounted with `use` and no sub-router adds none.
 */
export function mountedRoutes(router: Router | { stack: unknown[] }, prefix = ''): MountedRoute[] {
  const routes: MountedRoute[] = []
  for (const layer of (router as { stack: StackLayer[] }).stack) {
    if (layer.route) {
      const paths = ([] as string[]).concat(layer.route.path)
      const methods = new Set(layer.route.stack.map((s) => s.method?.toUpperCase()).filter((m): m is string => Boolean(m)))
      for (const path of paths) for (const method of methods) routes.push({ method, path: openApiPath(join(prefix, path)) })
    } else if (layer.handle?.stack) {
      const mountPath = typeof layer.rawPath === 'string' ? layer.rawPath : ''
      routes.push(...mountedRoutes({ stack: layer.handle.stack }, join(prefix, mountPath === '/' ? '' : mountPath).replace(/\/$/, '')))
    }
  }
  return routes
}
