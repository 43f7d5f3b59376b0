import type { MiniGame } from '../store/model'
import type { Store } from '../store/store'
import { describeApproval, fileRequest } from './approvals'
import { currentAccount } from './auth'
import { appIdParam, miniGameView, miniGamesView, oneApprovalView, paymentRequestsView, requestBody } from './schemas'
import { consoleRoute, signedInErrors } from './services'
import { findVisibleGame, visibleGames } from './visibility'

export function describeGame(store: Store, game: MiniGame) {
  const team = store.state.teams.find((t) => t.id === game.teamId)
  return {
    appId: game.appId,
    name: game.name,
    teamId: game.teamId,
    teamName: team?.name ?? game.teamId,
    paymentPermission: game.paymentPermission,
    merchantBound: Boolean(team?.merchant),
    exemption: game.releaseExemption,
    deliveryConfigured: Boolean(game.credentials),
  }
}

/** Mini games the caller may see, and the Enable payment module. */
export const MINI_GAME_ROUTES = {
  list: consoleRoute({
    method: 'GET',
    path: '/minigames',
    auth: 'bearer',
    summary: "Mini games the caller may see: all for the superapp's roles, the team's for team members.",
    response: miniGamesView,
    errors: signedInErrors(),
    handler: ({ store }, _input, res) => ({ miniGames: visibleGames(store, currentAccount(res)).map((g) => describeGame(store, g)) }),
  }),
  one: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId',
    auth: 'bearer',
    summary: 'One mini game.',
    params: appIdParam,
    response: miniGameView,
    errors: signedInErrors("404 NOT_FOUND: unknown or another team's"),
    handler: ({ store }, { params }, res) => describeGame(store, findVisibleGame(store, currentAccount(res), params.appId)),
  }),
  paymentRequests: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/payment/requests',
    auth: 'bearer',
    capability: 'payment.request',
    summary: 'The payment permission requests of a mini game, newest first.',
    params: appIdParam,
    response: paymentRequestsView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
      const requests = store.state.approvals.filter((a) => a.appId === game.appId && a.kind === 'payment').reverse()
      return { requests: requests.map((a) => describeApproval(store, a)) }
    },
  }),
  requestPayment: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/payment/requests',
    auth: 'bearer',
    capability: 'payment.request',
    summary: 'Enable payment: asks the superapp for payment permission. Until it is approved the host refuses payments with errCode -15005.',
    params: appIdParam,
    body: requestBody,
    inputName: 'payment request',
    response: oneApprovalView,
    status: 201,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: no bound merchant, a request already pending, or already approved'),
    handler: async ({ store, clock }, { params, body }, res) => {
      const account = currentAccount(res)
      const game = findVisibleGame(store, account, params.appId)
      const approval = await fileRequest(store, clock, account, game, 'payment', body.message)
      return { approval: describeApproval(store, approval) }
    },
  }),
}
