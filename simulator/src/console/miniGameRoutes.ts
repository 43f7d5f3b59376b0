import { Router } from 'express'
import type { Clock } from '../clock'
import { parseInput } from '../http/validate'
import type { MiniGame } from '../store/model'
import type { Store } from '../store/store'
import { fileRequest } from './approvals'
import { currentAccount, requireCapability } from './auth'
import { describeApproval } from './approvals'
import { appIdParam, requestBody } from './schemas'
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
export function miniGameRoutes(store: Store, clock: Clock): Router {
  const router = Router()

  router.get('/minigames', (_req, res) => {
    res.json({ miniGames: visibleGames(store, currentAccount(res)).map((g) => describeGame(store, g)) })
  })

  router.get('/minigames/:appId', (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    res.json(describeGame(store, findVisibleGame(store, currentAccount(res), appId)))
  })

  router.get('/minigames/:appId/payment/requests', requireCapability('payment.request'), (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const requests = store.state.approvals.filter((a) => a.appId === game.appId && a.kind === 'payment').reverse()
    res.json({ requests: requests.map((a) => describeApproval(store, a)) })
  })

  router.post('/minigames/:appId/payment/requests', requireCapability('payment.request'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const { message } = parseInput(requestBody, req.body, 'payment request')
    const account = currentAccount(res)
    const game = findVisibleGame(store, account, appId)
    const approval = await fileRequest(store, clock, account, game, 'payment', message)
    res.status(201).json({ approval: describeApproval(store, approval) })
  })

  return router
}
