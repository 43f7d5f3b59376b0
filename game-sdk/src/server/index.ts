/**
 * @superapp-sim/game-sdk/server: what a game's backend needs. Sign a purchase, receive the
 * host's delivery and refund notifications (framework-free, or as an Express handler:
 * express is an optional peer), call the host's server APIs. Wire facts (signature
 * formulas, notification schemas, errCodes) are in the package's core entry.
 */
export { signOrder } from './signOrder'
export { createSiteAllowlist, isLoopbackHostname } from './siteAllowlist'
export type { SiteAllowlist, SiteAllowlistOptions } from './siteAllowlist'
export type { SignOrderInput } from './signOrder'
export { verifyNotification, createNotificationReceiver, createMemoryLedger } from './receiver'
export type { ReceiverOptions, ReceiveResult, ReceiveOutcome, DeliveryLedger, HeadersLike } from './receiver'
export { createDeliveryHandler } from './deliveryHandler'
export type { DeliveryHandlerOptions } from './deliveryHandler'
export { createHostClient } from './hostClient'
export type { HostClient, HostClientOptions, Code2SessionResult } from './hostClient'
export type { DeliveryNotification, DeliveryPayload, RefundNotification, RefundPayload, Notification, SasReply, SignDataInput } from '../protocol/index'
export type { SignedOrder } from '../core/payments'
