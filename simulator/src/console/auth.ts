import { randomUUID } from 'node:crypto'
import type { RequestHandler, Response } from 'express'
import type { Clock } from '../clock'
import { SimulatorError } from '../errors'
import type { ConsoleAccount } from '../store/model'
import type { Store } from '../store/store'
import { decoyPasswordHash, verifyPassword } from './accounts'
import { PERMISSIONS, can, type Capability } from './permissions'

/** jose loads on the first console request, not at start-up: most runs never sign a console session. */
const loadJose = () => import('jose')

/** A console session lasts a working day. */
export const SESSION_TTL_SECONDS = 8 * 3600
const ISSUER = 'superapp-sim-console'

function secretOf(store: Store): Uint8Array {
  return new TextEncoder().encode(store.state.consoleSecret)
}

/** Checks a username and password; the same 401 whether the user exists or not, at the same cost. */
export async function logIn(store: Store, clock: Clock, username: string, password: string) {
  const account = store.state.accounts.find((a) => a.username === username)
  const matches = await verifyPassword(password, account?.passwordHash ?? (await decoyPasswordHash()))
  if (!account || !matches) throw new SimulatorError('INVALID_CREDENTIALS', 'wrong username or password')
  const now = Math.floor(clock.now() / 1000)
  const { SignJWT } = await loadJose()
  const token = await new SignJWT({ role: account.role })
    .setProtectedHeader({ alg: 'HS256' })
    // The token's id: what logout revokes.
    .setJti(randomUUID())
    .setSubject(account.username)
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + SESSION_TTL_SECONDS)
    .sign(secretOf(store))
  return { token, expiresAt: new Date((now + SESSION_TTL_SECONDS) * 1000).toISOString(), account }
}

/** The logged-in account of a request that passed `authenticate`. */
export function currentAccount(res: Response): ConsoleAccount {
  return res.locals.account as ConsoleAccount
}

/** The session token of a request that passed `authenticate`: its id and when it expires (clock ms). */
interface CurrentSession {
  jti: string
  expiresAtMs: number
}

/**
 * Logs the request's session out: its token is refused from now on, until it would have
 * expired anyway (then the revocation is dropped, as the token is refused for its age).
 * Kept in the store, so a restart, which keeps sessions valid, keeps them revoked too.
 */
export async function logOut(store: Store, clock: Clock, res: Response): Promise<void> {
  const { jti, expiresAtMs } = res.locals.session as CurrentSession
  const now = clock.now()
  await store.mutate((state) => {
    state.revokedSessions = state.revokedSessions.filter((revoked) => Date.parse(revoked.expiresAt) > now)
    state.revokedSessions.push({ jti, expiresAt: new Date(expiresAtMs).toISOString() })
  })
}

/** Requires a valid, unexpired bearer token (checked against the simulator clock) of an existing account. */
export function authenticate(store: Store, clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(req.get('authorization') ?? '')?.[1]
    if (!token) throw new SimulatorError('UNAUTHENTICATED', 'log in first: POST /console/api/v1/session, then send "Authorization: Bearer <token>"')
    let payload: { sub?: string; jti?: string; exp?: number }
    const { jwtVerify, errors: joseErrors } = await loadJose()
    try {
      ;({ payload } = await jwtVerify(token, secretOf(store), { issuer: ISSUER, algorithms: ['HS256'], currentDate: new Date(clock.now()), requiredClaims: ['jti', 'exp'] }))
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired
      throw new SimulatorError('UNAUTHENTICATED', expired ? 'the session expired: log in again' : 'the session token is not valid: log in again')
    }
    if (store.state.revokedSessions.some((revoked) => revoked.jti === payload.jti)) {
      throw new SimulatorError('UNAUTHENTICATED', 'this session was logged out: log in again')
    }
    const account = store.state.accounts.find((a) => a.username === payload.sub)
    if (!account) throw new SimulatorError('UNAUTHENTICATED', 'the account no longer exists')
    res.locals.account = account
    res.locals.session = { jti: payload.jti!, expiresAtMs: payload.exp! * 1000 } satisfies CurrentSession
    next()
  }
}

/** Allows the route only to roles holding `capability` in the seed's tables; 403 names what is missing. */
export function requireCapability(capability: Capability): RequestHandler {
  if (!(capability in PERMISSIONS)) throw new Error(`unknown capability ${capability}`)
  return (_req, res, next) => {
    const account = currentAccount(res)
    if (!can(account.role, capability)) {
      throw new SimulatorError(
        'FORBIDDEN',
        `your role cannot do this: it needs the capability "${capability}" (${PERMISSIONS[capability].label}), which ${account.role} does not have`,
      )
    }
    next()
  }
}
