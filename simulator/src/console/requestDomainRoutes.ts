import { Router } from 'express'
import { SimulatorError } from '../errors'
import { checkDomainEntry, describeDomains } from '../host/requestDomains'
import { parseInput } from '../http/validate'
import type { Store } from '../store/store'
import { currentAccount, requireCapability } from './auth'
import { appIdParam, requestDomainsBody } from './schemas'
import { findVisibleGame } from './visibility'

/**
 * Request domains: the servers the mini game's wx.request may reach (SAS: Mini game
 * management > Development management > Domain settings). The seed's role tables have no
 * row for them; they take the delivery configuration's (view: every role; change: the
 * administrator and the senior developer), a simulator convention (docs/permissions.md).
 */
export function requestDomainRoutes(store: Store): Router {
  const router = Router()

  router.get('/minigames/:appId/request-domains', requireCapability('deliveryConfig.view'), (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    res.json(describeDomains(findVisibleGame(store, currentAccount(res), appId)))
  })

  router.put('/minigames/:appId/request-domains', requireCapability('deliveryConfig.configure'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const body = parseInput(requestDomainsBody, req.body, 'request domains')
    const game = findVisibleGame(store, currentAccount(res), appId)
    const problems: string[] = []
    const domains: string[] = []
    body.domains.forEach((entry, i) => {
      const check = checkDomainEntry(entry)
      if (!check.ok) problems.push(`domain ${i + 1}: ${check.error}`)
      else if (!domains.includes(check.entry)) domains.push(check.entry)
    })
    if (problems.length) throw new SimulatorError('VALIDATION_FAILED', problems.join('; '))
    await store.mutate((state) => {
      const stored = state.miniGames.find((g) => g.appId === game.appId)!
      stored.requestDomains = domains
      stored.allowLoopbackRequests = body.allowLoopback
    })
    res.json(describeDomains(findVisibleGame(store, currentAccount(res), appId)))
  })

  return router
}
