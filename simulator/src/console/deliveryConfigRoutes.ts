import { SimulatorError } from '../errors'
import type { MiniGame } from '../store/model'
import { currentAccount } from './auth'
import { applyCredentials, generateCredentials } from './credentials'
import { checkDeliveryUrl } from './deliveryUrlRules'
import { can } from './permissions'
import {
  appIdParam,
  attemptView,
  checkEndpointBody,
  deliveryConfigBody,
  deliveryConfigView,
  endpointCheckView,
  notificationSwitchBody,
  reissuedCredentialsView,
  savedDeliveryConfigView,
} from './schemas'
import { consoleRoute, signedInErrors } from './services'
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
export const DELIVERY_CONFIG_ROUTES = {
  view: consoleRoute({
    method: 'GET',
    path: '/minigames/:appId/delivery-config',
    auth: 'bearer',
    capability: 'deliveryConfig.view',
    summary: 'Delivery notification configuration, with the issued credentials (AppKey hint and certificate fingerprint only) and warnings for URLs the real console refuses.',
    params: appIdParam,
    response: deliveryConfigView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: ({ store }, { params }, res) => describeConfig(findVisibleGame(store, currentAccount(res), params.appId)),
  }),
  save: consoleRoute({
    method: 'PUT',
    path: '/minigames/:appId/delivery-config',
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      "Saves the configuration. URLs must be http(s); a port other than 80/443 or a local host is accepted with a warning. The first save also needs deliveryConfig.requestCredentials: it issues the AppKey and a self-signed X.509 certificate (ES256, valid a year) with its private key and mails them to the account; the fingerprint is SHA-256 over the certificate's DER, as openssl prints it.",
    params: appIdParam,
    body: deliveryConfigBody,
    inputName: 'delivery configuration',
    response: savedDeliveryConfigView,
    errors: signedInErrors('400 VALIDATION_FAILED naming the field', '403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async ({ store, clock }, { params: { appId }, body }, res) => {
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
      return { ...describeConfig(findVisibleGame(store, account, appId)), credentialsIssued: Boolean(mail), mailedTo: mail?.toEmail }
    },
  }),
  // The seed puts "enable notification" on the Virtual item management page, after the
  // configuration is done here; the same Configure/modify capability switches it there.
  switchNotifications: consoleRoute({
    method: 'PUT',
    path: '/minigames/:appId/delivery-config/notifications',
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      'The "enable notification" switch the seed puts on the Virtual item management page: turns delivery notifications on or off without touching the URLs. Enabling needs a configured URL.',
    params: appIdParam,
    body: notificationSwitchBody,
    inputName: 'notification switch',
    response: deliveryConfigView,
    errors: signedInErrors('400 VALIDATION_FAILED', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: no URL configured yet'),
    handler: async ({ store }, { params: { appId }, body: { enabled } }, res) => {
      const account = currentAccount(res)
      const game = findVisibleGame(store, account, appId)
      await store.mutate((state) => {
        const stored = state.miniGames.find((g) => g.appId === game.appId)!
        if (enabled && !stored.delivery.url) {
          throw new SimulatorError('CONFLICT', 'configure the delivery notification URL first (Virtual payment > Basic configuration), then enable notifications')
        }
        stored.delivery.enabled = enabled
      })
      return describeConfig(findVisibleGame(store, account, appId))
    },
  }),
  reissueCredentials: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/delivery-config/credentials',
    auth: 'bearer',
    capability: 'deliveryConfig.requestCredentials',
    summary: 'Issues a new AppKey, certificate and key (the old ones stop working) and mails them.',
    params: appIdParam,
    response: reissuedCredentialsView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND'),
    handler: async ({ store, clock }, { params: { appId } }, res) => {
      const account = currentAccount(res)
      const game = findVisibleGame(store, account, appId)
      const issued = await generateCredentials(clock, game)
      const mail = await store.mutate((state) => applyCredentials(state, clock, game, issued, account))
      return { credentials: describeConfig(findVisibleGame(store, account, appId)).credentials, mailedTo: mail.toEmail }
    },
  }),
  testPush: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/delivery-config/test-push',
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary: 'Sends a signed mock notification (`IsMock: true`, fake goods) to the Test URL (else the URL) and reports what the endpoint answered.',
    params: appIdParam,
    response: attemptView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: not configured yet'),
    handler: async ({ store, delivery }, { params: { appId } }, res) => {
      const game = findVisibleGame(store, currentAccount(res), appId)
      if (!game.appKey) throw new SimulatorError('CONFLICT', 'save the delivery configuration first: the test push is signed with the AppKey it issues')
      const url = game.delivery.testUrl || game.delivery.url
      if (!url) throw new SimulatorError('CONFLICT', 'configure a Test URL (or URL) first')
      return delivery.sendTestPush(game.appId)
    },
  }),
  checkEndpoint: consoleRoute({
    method: 'POST',
    path: '/minigames/:appId/delivery-config/check-endpoint',
    auth: 'bearer',
    capability: 'deliveryConfig.configure',
    summary:
      'Runs the endpoint checker against the delivery URL, built from the given (else the latest delivered) order: valid, duplicate, bad PayEventSig, tampered Payload, malformed, unknown product. The CLI does the same: `npx superapp-sim check-endpoint`.',
    params: appIdParam,
    body: checkEndpointBody,
    optionalBody: true,
    inputName: 'check request',
    response: endpointCheckView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: not configured yet'),
    handler: async ({ store, clock }, { params: { appId }, body: { orderNo } }, res) => {
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
      return checkEndpoint({ url, appKey: game.appKey, base })
    },
  }),
}
