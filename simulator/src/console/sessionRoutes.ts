import { logIn, logOut, currentAccount } from './auth'
import { CAPABILITIES, PERMISSIONS, ROLES, capabilitiesOf, roleName } from './permissions'
import { meView, openApiView, permissionsView, sessionBody, sessionView } from './schemas'
import { consoleRoute, signedInErrors } from './services'
import type { ConsoleAccount } from '../store/model'
import type { Store } from '../store/store'
import { clientAddress } from '../http/clientAddress'

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

/** Log in and out, who am I, the permission table and the API's own description (public: the seed's documentation). */
export const SESSION_ROUTES = {
  logIn: consoleRoute({
    method: 'POST',
    path: '/session',
    summary: 'Logs a console user in. The token is a JWT (HS256) valid 8 hours on the simulator clock.',
    body: sessionBody,
    inputName: 'login',
    response: sessionView,
    errors: [
      '401 INVALID_CREDENTIALS: the same answer for a wrong password and an unknown user',
      "429 TOO_MANY_REQUESTS: 10 failed logins for the account, or 50 from the client address, in 15 minutes of the sandbox clock; `Retry-After` says in how many seconds (a success clears the account's count)",
      '400 VALIDATION_FAILED',
    ],
    handler: async ({ store, clock, loginLimiter }, { body: { username, password } }, res) => {
      // The peer's address, not a forwarded header: the simulator is not behind a proxy it trusts.
      const attempt = loginLimiter.begin(username, clientAddress(res.req) ?? 'unknown')
      let session
      try {
        session = await logIn(store, clock, username, password)
      } catch (error) {
        attempt.failed()
        throw error
      }
      attempt.succeeded()
      return { token: session.token, expiresAt: session.expiresAt, account: describeAccount(store, session.account) }
    },
  }),
  logOut: consoleRoute({
    method: 'DELETE',
    path: '/session',
    auth: 'bearer',
    summary: 'Logs out: the presented token is refused from now on (revoked until it would have expired; kept across a restart). Other sessions of the account stay.',
    errors: signedInErrors(),
    handler: ({ store, clock }, _input, res) => logOut(store, clock, res),
  }),
  me: consoleRoute({
    method: 'GET',
    path: '/me',
    auth: 'bearer',
    summary: 'The logged-in account.',
    response: meView,
    errors: signedInErrors(),
    handler: ({ store }, _input, res) => describeAccount(store, currentAccount(res)),
  }),
  openapi: consoleRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document.',
    response: openApiView,
    handler: ({ openApi }) => openApi(),
  }),
  permissions: consoleRoute({
    method: 'GET',
    path: '/permissions',
    summary: "The seed's role tables as data: roles and, per capability, the roles holding it.",
    response: permissionsView,
    handler: () => ({
      roles: [...ROLES],
      capabilities: CAPABILITIES.map((id) => ({ id, ...PERMISSIONS[id], roles: [...PERMISSIONS[id].roles] })),
    }),
  }),
}
