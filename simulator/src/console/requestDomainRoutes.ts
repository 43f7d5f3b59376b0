import { SimulatorError } from '../errors'
import { checkDomainEntry, describeDomains } from '../host/requestDomains'
import { currentAccount } from './auth'
import { appIdParam, requestDomainsBody, requestDomainsView } from './schemas'
import { consoleRoute as route, signedInErrors } from './services'
import { findVisibleGame } from './visibility'

/**
 * Request domains: the servers the mini game's wx.request may reach (SAS: Mini game
 * management > Development management > Domain settings). The seed's role tables have no
 * row for them; they take the delivery configuration's (view: every role; change: the
 * administrator and the senior developer), a simulator convention (docs/permissions.md).
 */
export const REQUEST_DOMAIN_ROUTES = {
  view: route({
    method: 'GET',
    path: '/minigames/:appId/request-domains',
    auth: 'bearer',
    capability: 'deliveryConfig.view',
    summary:
      "Request domains: the servers the mini game's wx.request may reach, and whether loopback is allowed (simulator only; on by default). Convention: the seed has no row for them, so they take the delivery configuration's capabilities.",
    params: appIdParam,
    response: requestDomainsView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params }, res) => describeDomains(findVisibleGame(store, currentAccount(res), params.appId)),
  }),
  update: route({
    method: 'PUT',
    path: '/minigames/:appId/request-domains',
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      'Replaces the request domains. Each is https://<domain> as the SAS console takes it: https only, no IP address or localhost, no port (requests may use any port of it), no path. Stored in lower case, repeats dropped.',
    params: appIdParam,
    body: requestDomainsBody,
    inputName: 'request domains',
    response: requestDomainsView,
    errors: signedInErrors('400 VALIDATION_FAILED naming each refused domain', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async ({ store }, { params, body }, res) => {
      const game = findVisibleGame(store, currentAccount(res), params.appId)
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
      return describeDomains(findVisibleGame(store, currentAccount(res), params.appId))
    },
  }),
}
