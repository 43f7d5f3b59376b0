import { Router } from 'express'
import { z } from 'zod'
import { fixtureDocumentSchema } from '../fixtures/fixtures'
import { jsonBody } from '../http/guard'
import { parseInput } from '../http/validate'
import { DEFAULT_SANDBOX, SANDBOX_NAME, SANDBOX_NAME_RULE } from '../sandbox/names'
import type { SandboxRegistry } from '../sandbox/registry'
import { unknownSandbox } from '../sandbox/selectSandbox'
import { loopbackOnly } from './loopback'
import { resetBody } from './schemas'

const fixtureParam = z.object({ name: z.string().regex(SANDBOX_NAME, `fixture ${SANDBOX_NAME_RULE}`) })

/**
 * The part of the test-control API above the sandboxes: resets (which create sandboxes),
 * the sandbox list, fixtures. Mounted before the sandbox is resolved, so a reset can name a
 * sandbox that does not exist yet.
 */
export function sandboxRoutes(registry: SandboxRegistry): Router {
  const router = Router()
  // Loopback only, for every /_sim route of every sandbox (controlRoutes sits behind this).
  router.use(loopbackOnly)
  const smallJson = jsonBody('16kb')
  const nameOf = (locals: { sandbox?: string }) => locals.sandbox ?? DEFAULT_SANDBOX

  router.post('/reset', smallJson, async (req, res) => {
    const { fixture } = parseInput(resetBody, req.body ?? {}, 'reset')
    const core = await registry.reset(nameOf(res.locals), fixture)
    res.json(core.describe())
  })

  router.get('/sandbox', async (_req, res) => {
    const core = await registry.resolve(nameOf(res.locals))
    if (!core) throw unknownSandbox(nameOf(res.locals))
    res.json(core.describe())
  })

  router.delete('/sandbox', async (_req, res) => {
    await registry.remove(nameOf(res.locals))
    res.status(204).end()
  })

  router.get('/sandboxes', (_req, res) => void res.json({ sandboxes: registry.list() }))

  router.get('/fixtures', (_req, res) => void res.json({ fixtures: registry.fixtures.list() }))

  // A fixture may list up to 1,000 items and players: the one large body of the API.
  router.put('/fixtures/:name', jsonBody('1mb'), async (req, res) => {
    const { name } = parseInput(fixtureParam, req.params, 'fixture name')
    const document = parseInput(fixtureDocumentSchema, req.body, 'fixture')
    const existed = registry.fixtures.has(name)
    await registry.fixtures.register(name, document)
    res.status(existed ? 200 : 201).json({ name, description: document.description ?? '' })
  })

  return router
}
