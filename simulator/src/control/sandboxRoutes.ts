import { Router } from 'express'
import { z } from 'zod'
import { fixtureDocumentSchema } from '../fixtures/fixtures'
import { jsonBody } from '../http/guard'
import { defineRoute, mountRoutes } from '../http/routeDefinition'
import { DEFAULT_SANDBOX, SANDBOX_NAME, SANDBOX_NAME_RULE } from '../sandbox/names'
import type { SandboxRegistry } from '../sandbox/registry'
import { unknownSandbox } from '../sandbox/selectSandbox'
import { loopbackOnly } from './loopback'
import { fixturesView, loadedFixtureView, resetBody, sandboxView, sandboxesView } from './schemas'

const fixtureParam = z.object({ name: z.string().regex(SANDBOX_NAME, `fixture ${SANDBOX_NAME_RULE}`) })
const route = defineRoute<SandboxRegistry>()
const LOOPBACK = '403: not a loopback client'
/** The sandbox a request addresses (`/sandbox/<name>` or `x-sim-sandbox`), as the app resolved it. */
const nameOf = (locals: { sandbox?: string }) => locals.sandbox ?? DEFAULT_SANDBOX

/**
 * The part of the test-control API above the sandboxes (below /_sim): resets (which create
 * sandboxes), the sandbox list, fixtures. Mounted before the sandbox is resolved, so a reset
 * can name a sandbox that does not exist yet.
 */
export const SANDBOX_ROUTES = {
  reset: route({
    method: 'POST',
    path: '/reset',
    summary:
      'Test control (loopback only). Every `/_sim` route (and every other route) works in a sandbox: prefix the path with `/sandbox/<name>` or send `x-sim-sandbox: <name>`. A reset replaces the sandbox with a fixture (default `demo`), creating it if it does not exist (sandboxes other than `default` live in memory); its WebSocket clients are closed with code 4001, open sheets fail, timers are dropped, `generation` goes up.',
    body: resetBody,
    optionalBody: true,
    inputName: 'reset',
    response: sandboxView,
    errors: ['400 VALIDATION_FAILED (bad sandbox name)', LOOPBACK, '404: unknown fixture', '409: too many sandboxes'],
    handler: async (registry, { body: { fixture } }, res) => (await registry.reset(nameOf(res.locals), fixture)).describe(),
  }),
  sandbox: route({
    method: 'GET',
    path: '/sandbox',
    summary: 'Test control (loopback only): the addressed sandbox, with its fixture and generation (a QA tool notices a reset under it).',
    response: sandboxView,
    errors: [LOOPBACK, '404: unknown sandbox'],
    handler: async (registry, _input, res) => {
      const core = await registry.resolve(nameOf(res.locals))
      if (!core) throw unknownSandbox(nameOf(res.locals))
      return core.describe()
    },
  }),
  deleteSandbox: route({
    method: 'DELETE',
    path: '/sandbox',
    summary: 'Test control (loopback only): deletes the addressed sandbox (not `default`).',
    errors: [LOOPBACK, '404: unknown sandbox', '409: the default sandbox'],
    handler: (registry, _input, res) => registry.remove(nameOf(res.locals)),
  }),
  sandboxes: route({
    method: 'GET',
    path: '/sandboxes',
    summary: 'Test control (loopback only): every sandbox of the process.',
    response: sandboxesView,
    errors: [LOOPBACK],
    handler: (registry) => ({ sandboxes: registry.list() }),
  }),
  fixtures: route({
    method: 'GET',
    path: '/fixtures',
    summary: 'Test control (loopback only): the fixtures a reset can name: built-in `demo` and `empty`, and those loaded.',
    response: fixturesView,
    errors: [LOOPBACK],
    handler: (registry) => ({ fixtures: registry.fixtures.list() }),
  }),
  loadFixture: route({
    method: 'PUT',
    path: '/fixtures/:name',
    summary:
      'Test control (loopback only): loads a fixture document (shared by all sandboxes). It `extends` demo or empty and adds or replaces players and games (payment status, AppKey, delivery URLs, items), the currencies, settings and the clock (`start`, `frozen`). 201 when new, 200 when it replaced one.',
    params: fixtureParam,
    body: fixtureDocumentSchema,
    inputName: { params: 'fixture name', body: 'fixture' },
    response: loadedFixtureView,
    status: 201,
    statusOf: (_answer, res) => (res.locals.fixtureReplaced ? 200 : 201),
    errors: ['200: the same answer when it replaced a loaded fixture of that name', '400 VALIDATION_FAILED', LOOPBACK, '409: a built-in name'],
    handler: async (registry, { params: { name }, body: document }, res) => {
      res.locals.fixtureReplaced = registry.fixtures.has(name)
      await registry.fixtures.register(name, document)
      return { name, description: document.description ?? '' }
    },
  }),
}

/** The sandbox routes, mounted from SANDBOX_ROUTES behind the loopback check. */
export function sandboxRoutes(registry: SandboxRegistry): Router {
  const router = Router()
  // Loopback only, for every /_sim route of every sandbox (controlRoutes sits behind this).
  router.use(loopbackOnly)
  // A fixture may list up to 1,000 items and players: the one large body of the API.
  return mountRoutes(router, Object.values(SANDBOX_ROUTES), registry, (r) => (r.body ? [jsonBody(r === SANDBOX_ROUTES.loadFixture ? '1mb' : '16kb')] : []))
}
