import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { API_ENDPOINTS, CONSOLE_ENDPOINTS } from '../../simulator/src/docs/apiCatalog'
import { renderOpenApi, renderOpenApiDocument } from '../../simulator/src/docs/renderApiDocs'
import { mountedRoutes, type MountedRoute } from '../../simulator/src/http/mountedRoutes'
import { coreRoutes } from '../../simulator/src/sandbox/coreRoutes'
import { PAGES, SERVED_OUTSIDE_ROUTERS } from '../../simulator/src/sandbox/servedOutsideRouters'

/**
 * The routes the running simulator mounts (read from its Express router stacks) against what
 * docs/api.md and docs/openapi.json document, both ways: a route mounted without a definition
 * or catalog entry fails, and so does a documented one nothing serves.
 */

/** The stated exceptions (sandbox/servedOutsideRouters.ts): documented but served outside the routers, and pages. */
const OUTSIDE = SERVED_OUTSIDE_ROUTERS.map((route) => `${route.method} ${route.path}`)

const key = (route: MountedRoute) => `${route.method} ${route.path}`

/** The differences between what is mounted and what is documented, each way, apart from the stated exceptions. */
function compareRoutes(mounted: string[], documented: string[]) {
  return {
    mountedNotDocumented: mounted.filter((route) => !documented.includes(route) && !PAGES.includes(route)).sort(),
    documentedNotMounted: documented.filter((route) => !mounted.includes(route) && !OUTSIDE.includes(route)).sort(),
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

  it('every endpoint documents its success answer: a JSON schema, a content type, or no body (204)', () => {
    const openapi = JSON.parse(renderOpenApiDocument()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> }
    const endpoints = [...API_ENDPOINTS, ...CONSOLE_ENDPOINTS]
    for (const endpoint of endpoints) {
      const success = openapi.paths[endpoint.path]?.[endpoint.method.toLowerCase()]?.responses[String(endpoint.status)]
      expect(success, `${endpoint.method} ${endpoint.path}`).toBeDefined()
      if (endpoint.response) expect(success!.content?.['application/json']?.schema, `${endpoint.method} ${endpoint.path} response schema`).toBeDefined()
      else if (endpoint.content) expect(Object.keys(success!.content ?? {}), `${endpoint.method} ${endpoint.path} content type`).not.toEqual([])
      else expect(endpoint.status, `${endpoint.method} ${endpoint.path}: neither a response schema nor a content, so a 204`).toBe(204)
    }
    // JSON is the rule: the non-JSON answers are images, spreadsheets, pages' scripts and WebSockets.
    const nonJson = endpoints.filter((e) => e.content).map((e) => `${e.method} ${e.path}`)
    expect(nonJson.length).toBeLessThan(12)
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

  it('the routes no other test calls answer what their definitions say (each answer checked against its response schema)', async () => {
    const get = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${sim.url}${path}`, init)
      return { status: response.status, json: (await response.json()) as Record<string, unknown> }
    }
    expect(await get('/console/api/v1/openapi.json')).toEqual({ status: 200, json: renderOpenApi() })
    const permissions = await get('/console/api/v1/permissions')
    expect(permissions.status).toBe(200)
    expect((permissions.json.roles as { id: string }[]).map((r) => r.id)).toContain('super_admin')
    expect(await get('/_sim/settings')).toEqual({ status: 200, json: sim.store.state.settings })
    const appId = sim.store.state.miniGames[0]!.appId
    expect(await get(`/_sim/minigames/${appId}/faults`, { method: 'DELETE' })).toEqual({ status: 200, json: { faults: [] } })
  })
})

