import { Router } from 'express'
import type { Clock } from '../clock'
import { parseInput } from '../http/validate'
import type { ConsoleAccount } from '../store/model'
import type { Store } from '../store/store'
import { authenticate, currentAccount, logIn, logOut } from './auth'
import { LoginLimiter } from './loginLimits'
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

/** Log in and out, who am I, and the permission table (public: it is the seed's documentation). */
export function sessionRoutes(store: Store, clock: Clock): Router {
  const router = Router()
  const limiter = new LoginLimiter(clock)
  router.post('/session', async (req, res) => {
    const { username, password } = parseInput(sessionBody, req.body, 'login')
    // The peer's address, not a forwarded header: the simulator is not behind a proxy it trusts.
    const attempt = limiter.begin(username, req.socket.remoteAddress ?? 'unknown')
    let session
    try {
      session = await logIn(store, clock, username, password)
    } catch (error) {
      attempt.failed()
      throw error
    }
    attempt.succeeded()
    res.json({ token: session.token, expiresAt: session.expiresAt, account: describeAccount(store, session.account) })
  })
  router.delete('/session', authenticate(store, clock), async (_req, res) => {
    await logOut(store, clock, res)
    res.status(204).end()
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
