import { describeApproval, fileRequest, revokeExemption } from './approvals'
import { currentAccount } from './auth'
import { appIdParam, exemptionView, oneApprovalView, requestBody, revocationView, revokeBody } from './schemas'
import { consoleRoute, signedInErrors } from './services'
import { findVisibleGame } from './visibility'

/** Basic configuration > No-review permission for virtual items (approval exemption for item releases). */
export const EXEMPTION_ROUTES = {
  view: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/exemption',
    auth: 'bearer',
    capability: 'exemption.view',
    summary: 'The approval exemption for item releases: status and requests.',
    params: appIdParam,
    response: exemptionView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
      const requests = store.state.approvals.filter((a) => a.appId === game.appId && a.kind === 'exemption').reverse()
      return { status: game.releaseExemption, requests: requests.map((a) => describeApproval(store, a)) }
    },
  }),
  request: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/exemption/requests',
    auth: 'bearer',
    capability: 'exemption.request',
    summary: 'Asks the superapp for the approval exemption.',
    params: appIdParam,
    body: requestBody,
    inputName: 'exemption request',
    response: oneApprovalView,
    status: 201,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: pending or already granted'),
    handler: async ({ store, clock }, { params, body }, res) => {
      const account = currentAccount(res)
      const approval = await fileRequest(store, clock, account, findVisibleGame(store, account, params.appId), 'exemption', body.message)
      return { approval: describeApproval(store, approval) }
    },
  }),
  revoke: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/exemption/revoke',
    auth: 'bearer',
    capability: 'exemption.revoke',
    summary: "The superapp revokes the exemption and removes the game's released items from sale; the team's administrators are mailed.",
    params: appIdParam,
    body: revokeBody,
    inputName: 'revocation',
    response: revocationView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: no exemption to revoke'),
    handler: async ({ store, clock }, { params, body }, res) => {
      const removedItems = await revokeExemption(store, clock, findVisibleGame(store, currentAccount(res), params.appId), body.reason)
      return { status: 'revoked' as const, removedItems }
    },
  }),
}
