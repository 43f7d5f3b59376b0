import { Router } from 'express'
import type { Clock } from '../clock'
import { parseInput } from '../http/validate'
import type { ConsoleAccount } from '../store/model'
import type { Store } from '../store/store'
import { authenticate, currentAccount, logIn } from './auth'
import { CAPABILITIES, PERMISSIONS, ROLES, capabilitiesOf, roleName } from './permissions'
import { sessionBody } from './schemas'

export function describeAccount(store: Store, account: ConsoleAccount) {
  const team = store.state.teams.find((t) => t.id === account.teamId)
  return {
    username: account.username,
    role: account.role,
    roleName: roleName(account.role),
    email: account.email,
    teamId: account.teamId,
    teamName: team?.name ?? null,
    capabilities: capabilitiesOf(account.role),
  }
}

/** Log in, who am I, and the permission table (public: it is the seed's documentation). */
export function sessionRoutes(store: Store, clock: Clock): Router {
  const router = Router()
  router.post('/session', async (req, res) => {
    const { username, password } = parseInput(sessionBody, req.body, 'login')
    const { token, expiresAt, account } = await logIn(store, clock, username, password)
    res.json({ token, expiresAt, account: describeAccount(store, account) })
  })
  router.get('/me', authenticate(store, clock), (_req, res) => {
    res.json(describeAccount(store, currentAccount(res)))
  })
  // Built on first request: the document generator is not needed to start serving.
  let openapi: Record<string, unknown> | undefined
  router.get('/openapi.json', async (_req, res) => {
    openapi ??= (await import('../docs/renderApiDocs')).renderOpenApi()
    res.json(openapi)
  })
  router.get('/permissions', (_req, res) => {
    res.json({
      roles: ROLES,
      capabilities: CAPABILITIES.map((id) => ({ id, ...PERMISSIONS[id], roles: [...PERMISSIONS[id].roles] })),
    })
  })
  return router
}
