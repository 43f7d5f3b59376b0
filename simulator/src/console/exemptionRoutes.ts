import { Router } from 'express'
import type { Clock } from '../clock'
import { parseInput } from '../http/validate'
import type { Store } from '../store/store'
import { fileRequest, revokeExemption } from './approvals'
import { describeApproval } from './approvals'
import { currentAccount, requireCapability } from './auth'
import { appIdParam, requestBody, revokeBody } from './schemas'
import { findVisibleGame } from './visibility'

/** Basic configuration > No-review permission for virtual items (approval exemption for item releases). */
export function exemptionRoutes(store: Store, clock: Clock): Router {
  const router = Router()

  router.get('/minigames/:appId/exemption', requireCapability('exemption.view'), (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const requests = store.state.approvals.filter((a) => a.appId === game.appId && a.kind === 'exemption').reverse()
    res.json({ status: game.releaseExemption, requests: requests.map((a) => describeApproval(store, a)) })
  })

  router.post('/minigames/:appId/exemption/requests', requireCapability('exemption.request'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const { message } = parseInput(requestBody, req.body, 'exemption request')
    const account = currentAccount(res)
    const approval = await fileRequest(store, clock, account, findVisibleGame(store, account, appId), 'exemption', message)
    res.status(201).json({ approval: describeApproval(store, approval) })
  })

  router.post('/minigames/:appId/exemption/revoke', requireCapability('exemption.revoke'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const { reason } = parseInput(revokeBody, req.body, 'revocation')
    const removedItems = await revokeExemption(store, clock, findVisibleGame(store, currentAccount(res), appId), reason)
    res.json({ status: 'revoked', removedItems })
  })

  return router
}
