import { Router } from 'express'
import { z } from 'zod'
import { SimulatorError } from '../errors'
import { MAX_REQUEST_DOMAINS, checkDomainEntry } from '../host/requestDomains'
import { parseInput } from '../http/validate'
import type { MiniGame } from '../store/model'
import type { Store } from '../store/store'
import { currentAccount, requireCapability } from './auth'
import { appIdParam } from './schemas'
import { findVisibleGame } from './visibility'

export const requestDomainsBody = z
  .object({
    domains: z.array(z.string().max(300)).max(MAX_REQUEST_DOMAINS),
    allowLoopback: z.boolean().describe('simulator only: wx.request may reach loopback addresses'),
  })
  .strict()

/** What the real host would say of loopback, shown while it is allowed. */
export const LOOPBACK_NOTE =
  'Loopback (localhost, 127.0.0.1) is allowed here so a game server on this machine works: the real host refuses localhost and IP addresses, so list your server\'s https domain before you ship.'

/** What the console shows of a mini game's request domains. */
export type RequestDomainsView = ReturnType<typeof describeDomains>

function describeDomains(game: MiniGame) {
  const allowLoopback = game.allowLoopbackRequests
  return { domains: game.requestDomains, allowLoopback, note: allowLoopback ? LOOPBACK_NOTE : undefined }
}

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
