import { Router, json } from 'express'
import { z } from 'zod'
import { fixtureDocumentSchema } from '../fixtures/fixtures'
import { parseInput } from '../http/validate'
import type { SandboxRegistry } from '../sandbox/registry'
import { DEFAULT_SANDBOX } from '../sandbox/registry'
import { unknownSandbox } from '../sandbox/selectSandbox'
import { loopbackOnly } from './controlRoutes'

export const resetBody = z.object({ fixture: z.string().min(1).max(64).default('demo') }).strict()
const fixtureParam = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -') })

/**
 * The part of the test-control API above the sandboxes: resets (which create sandboxes),
 * the sandbox list, fixtures. Mounted before the sandbox is resolved, so a reset can name a
 * sandbox that does not exist yet.
 */
export function sandboxRoutes(registry: SandboxRegistry): Router {
  const router = Router()
  router.use(loopbackOnly, json({ limit: '1mb' }))
  const nameOf = (locals: { sandbox?: string }) => locals.sandbox ?? DEFAULT_SANDBOX

  router.post('/reset', async (req, res) => {
    const { fixture } = parseInput(resetBody, req.body ?? {}, 'reset')
    const core = await registry.reset(nameOf(res.locals), fixture)
    res.json(core.describe())
  })

  router.get('/sandbox', (_req, res) => {
    const core = registry.get(nameOf(res.locals))
    if (!core) throw unknownSandbox(nameOf(res.locals))
    res.json(core.describe())
  })

  router.delete('/sandbox', async (_req, res) => {
    await registry.remove(nameOf(res.locals))
    res.status(204).end()
  })

  router.get('/sandboxes', (_req, res) => void res.json({ sandboxes: registry.list() }))

  router.get('/fixtures', (_req, res) => void res.json({ fixtures: registry.fixtures.list() }))

  router.put('/fixtures/:name', (req, res) => {
    const { name } = parseInput(fixtureParam, req.params, 'fixture name')
    const document = parseInput(fixtureDocumentSchema, req.body, 'fixture')
    const existed = registry.fixtures.has(name)
    registry.fixtures.register(name, document)
    res.status(existed ? 200 : 201).json({ name, description: document.description ?? '' })
  })

  return router
}
