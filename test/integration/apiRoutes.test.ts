import { HOST_SOCKET_PATH } from '@superapp-sim/game-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { CONTROL_ROUTES } from '../../simulator/src/control/controlRoutes'
import { EVENT_STREAM_PATH } from '../../simulator/src/control/eventStream'
import { API_ENDPOINTS, CONSOLE_ENDPOINTS } from '../../simulator/src/docs/apiCatalog'
import { renderOpenApiDocument } from '../../simulator/src/docs/renderApiDocs'
import { HOST_EVENTS_PATH } from '../../simulator/src/host/hostEvents'
import { mountedRoutes, type MountedRoute } from '../../simulator/src/http/mountedRoutes'
import { openApiPath } from '../../simulator/src/http/routeDefinition'
import { coreRoutes } from '../../simulator/src/sandbox/coreRoutes'

/**
 * The routes the running simulator mounts (read from its Express router stacks) against what
 * docs/api.md and docs/openapi.json document, both ways: a route mounted without a definition
 * or catalog entry fails, and so does a documented one nothing serves.
 */

/** Documented, served outside the Express routers: WebSocket upgrades (sandbox/upgrades.ts) and a static file. */
const SERVED_OUTSIDE_ROUTERS = [`GET ${EVENT_STREAM_PATH}`, `GET ${HOST_EVENTS_PATH}`, `GET ${HOST_SOCKET_PATH}`, 'GET /sdk/wx.js']
/** Mounted, not API: the start page's redirect, the host shell's "not built" page (when dist/web has no shell), the pages' icon. */
const PAGES = ['GET /', 'GET /host/', 'GET /favicon.ico', 'GET /favicon.svg']

const key = (route: MountedRoute) => `${route.method} ${route.path}`

/** The differences between what is mounted and what is documented, each way, apart from the stated exceptions. */
function compareRoutes(mounted: string[], documented: string[]) {
  return {
    mountedNotDocumented: mounted.filter((route) => !documented.includes(route) && !PAGES.includes(route)).sort(),
    documentedNotMounted: documented.filter((route) => !mounted.includes(route) && !SERVED_OUTSIDE_ROUTERS.includes(route)).sort(),
  }
}

let sim: RunningSimulator
beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {} })
})
afterAll(() => sim.close())

/** The app's own routes and the routes of the sandbox core it dispatches each request to. */
const mountedNow = () => [...mountedRoutes(sim.app.router), ...mountedRoutes(coreRoutes(sim.core))].map(key)
const documented = () => [...API_ENDPOINTS, ...CONSOLE_ENDPOINTS].map((e) => `${e.method} ${e.path}`)

describe('the mounted routes are the documented ones', () => {
  it('every mounted route is documented and every documented route is mounted', () => {
    const mounted = mountedNow()
    // The walk itself reached every domain: login, server API, host API, console, test control, media.
    for (const sample of ['GET /sns/jscode2session', 'POST /xpay/query_order', 'POST /host/api/login', 'POST /console/api/v1/session', 'POST /_sim/clock', 'POST /_sim/reset']) {
      expect(mounted).toContain(sample)
    }
    expect(compareRoutes(mounted, documented())).toEqual({ mountedNotDocumented: [], documentedNotMounted: [] })
  })

  it('each test-control route is documented from its definition, with its response schema in docs/openapi.json', () => {
    const openapi = JSON.parse(renderOpenApiDocument()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> }
    for (const route of CONTROL_ROUTES) {
      const path = `/_sim${openApiPath(route.path)}`
      const operation = openapi.paths[path]?.[route.method.toLowerCase()]
      expect(operation, `${route.method} ${path}`).toBeDefined()
      expect(operation!.responses[String(route.status ?? 200)]?.content, `${route.method} ${path} response schema`).toBeDefined()
    }
  })

  it('fails when a route is mounted without a definition, or a definition is mounted nowhere', () => {
    // A real route on the running sandbox's router, added without a definition or catalog entry.
    const router = coreRoutes(sim.core)
    router.get('/_sim/undocumented', (_req, res) => void res.json({}))
    try {
      const mounted = mountedNow()
      expect(compareRoutes(mounted, documented()).mountedNotDocumented).toEqual(['GET /_sim/undocumented'])
      // And the other way: a documented route nothing mounts.
      expect(compareRoutes(mounted, [...documented(), 'DELETE /_sim/clock']).documentedNotMounted).toEqual(['DELETE /_sim/clock'])
    } finally {
      router.stack.pop()
    }
    expect(compareRoutes(mountedNow(), documented()).mountedNotDocumented).toEqual([])
  })
})
