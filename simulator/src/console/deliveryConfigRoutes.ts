import { Router } from 'express'
import type { Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import type { MiniGame } from '../store/model'
import type { Store } from '../store/store'
import { currentAccount, requireCapability } from './auth'
import { applyCredentials, generateCredentials } from './credentials'
import { checkDeliveryUrl } from './deliveryUrlRules'
import { can } from './permissions'
import { appIdParam, checkEndpointBody, deliveryConfigBody, notificationSwitchBody } from './schemas'
import { checkEndpoint } from '../delivery/endpointChecker'
import { deliveryPayloadSchema, type DeliveryPayload } from '@superapp-sim/game-sdk'
import { openidFor } from '../store/ids'
import { findVisibleGame } from './visibility'

function describeConfig(game: MiniGame) {
  const { url, testUrl, enabled } = game.delivery
  const warnings = [url && checkDeliveryUrl('url', url), testUrl && checkDeliveryUrl('testUrl', testUrl)].flatMap((check) => (check ? check.warnings : []))
  return {
    url,
    testUrl,
    notificationsEnabled: enabled,
    credentials: game.credentials
      ? {
          issuedAt: game.credentials.issuedAt,
          appKeyHint: `…${game.appKey.slice(-4)}`,
          certificateFingerprint: game.credentials.certificateFingerprint,
          validUntil: game.credentials.validUntil,
        }
      : null,
    warnings,
  }
}

/** Basic configuration > Delivery notification configuration. */
export function deliveryConfigRoutes(store: Store, clock: Clock, delivery: DeliveryEngine): Router {
  const router = Router()

  router.get('/minigames/:appId/delivery-config', requireCapability('deliveryConfig.view'), (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    res.json(describeConfig(findVisibleGame(store, currentAccount(res), appId)))
  })

  router.put('/minigames/:appId/delivery-config', requireCapability('deliveryConfig.configure'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const body = parseInput(deliveryConfigBody, req.body, 'delivery configuration')
    const account = currentAccount(res)
    const game = findVisibleGame(store, account, appId)
    for (const [field, value] of [['url', body.url], ['testUrl', body.testUrl]] as const) {
      const error = value ? checkDeliveryUrl(field, value).error : undefined
      if (error) throw new SimulatorError('VALIDATION_FAILED', error)
    }
    // The first save requests the certificate and key: that needs its own capability too.
    const firstSave = !game.credentials
    if (firstSave && !can(account.role, 'deliveryConfig.requestCredentials')) {
      throw new SimulatorError('FORBIDDEN', 'the first save requests a certificate and key: it needs the capability "deliveryConfig.requestCredentials"')
    }
    const issued = firstSave ? await generateCredentials(clock, game) : undefined
    const mail = await store.mutate((state) => {
      const stored = state.miniGames.find((g) => g.appId === game.appId)!
      stored.delivery = { url: body.url, testUrl: body.testUrl, enabled: body.notificationsEnabled }
      // A game that has its AppKey already (a fixture's, or one whose version-1 credentials the
      // store migration dropped) keeps it: only the certificate and key are new.
      return issued ? applyCredentials(state, clock, stored, stored.appKey ? { ...issued, appKey: stored.appKey } : issued, account) : undefined
    })
    res.json({ ...describeConfig(findVisibleGame(store, account, appId)), credentialsIssued: Boolean(mail), mailedTo: mail?.toEmail })
  })

  // The seed puts "enable notification" on the Virtual item management page, after the
  // configuration is done here; the same Configure/modify capability switches it there.
  router.put('/minigames/:appId/delivery-config/notifications', requireCapability('deliveryConfig.configure'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const { enabled } = parseInput(notificationSwitchBody, req.body, 'notification switch')
    const account = currentAccount(res)
    const game = findVisibleGame(store, account, appId)
    await store.mutate((state) => {
      const stored = state.miniGames.find((g) => g.appId === game.appId)!
      if (enabled && !stored.delivery.url) {
        throw new SimulatorError('CONFLICT', 'configure the delivery notification URL first (Virtual payment > Basic configuration), then enable notifications')
      }
      stored.delivery.enabled = enabled
    })
    res.json(describeConfig(findVisibleGame(store, account, appId)))
  })

  router.post('/minigames/:appId/delivery-config/credentials', requireCapability('deliveryConfig.requestCredentials'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const account = currentAccount(res)
    const game = findVisibleGame(store, account, appId)
    const issued = await generateCredentials(clock, game)
    const mail = await store.mutate((state) => applyCredentials(state, clock, game, issued, account))
    res.json({ credentials: describeConfig(findVisibleGame(store, account, appId)).credentials, mailedTo: mail.toEmail })
  })

  router.post('/minigames/:appId/delivery-config/test-push', requireCapability('deliveryConfig.configure'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const game = findVisibleGame(store, currentAccount(res), appId)
    if (!game.appKey) throw new SimulatorError('CONFLICT', 'save the delivery configuration first: the test push is signed with the AppKey it issues')
    const url = game.delivery.testUrl || game.delivery.url
    if (!url) throw new SimulatorError('CONFLICT', 'configure a Test URL (or URL) first')
    const attempt = await delivery.sendTestPush(game.appId)
    res.json(attempt)
  })

  router.post('/minigames/:appId/delivery-config/check-endpoint', requireCapability('deliveryConfig.configure'), async (req, res) => {
    const { appId } = parseInput(appIdParam, req.params, 'path')
    const { orderNo } = parseInput(checkEndpointBody, req.body ?? {}, 'check request')
    const game = findVisibleGame(store, currentAccount(res), appId)
    if (!game.appKey || !game.delivery.url) throw new SimulatorError('CONFLICT', 'save the delivery configuration first')
    // Built from a real delivery when there is one: a strict receiver only acknowledges orders it created.
    const source = [...store.state.outbox]
      .reverse()
      .find((n) => n.appId === game.appId && n.kind === 'delivery' && (orderNo ? n.orderNo === orderNo : n.state === 'delivered'))
    if (orderNo && !source) throw new SimulatorError('NOT_FOUND', `no delivery for order ${orderNo}`)
    const base: DeliveryPayload = source
      ? deliveryPayloadSchema.parse(JSON.parse(JSON.parse(source.body).Payload))
      : {
          OpenId: openidFor(game.appId, 'endpoint-checker'),
          Env: '0',
          OutTradeNo: `CHK${clock.now()}`,
          GoodsInfo: { ProductId: store.state.items.find((i) => i.appId === game.appId && i.state === 'released')?.productId ?? 'product', Quantity: 1, ZoneId: '', OrigPrice: 1, ActualPrice: 1, Attach: '', OrderSource: 1 },
        }
    const url = source ? game.delivery[source.target] : game.delivery.url
    res.json(await checkEndpoint({ url, appKey: game.appKey, base }))
  })

  return router
}
