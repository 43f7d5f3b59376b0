/**
 * game-sdk for a game's backend: sign payments, verify delivery notifications, answer the
 * host idempotently, call the host's server APIs.
 */
export {
  hmacSha256Hex,
  signPaySig,
  signUserSignature,
  signPayEventSig,
  signServerApi,
  signaturesEqual,
} from './signatures'
export {
  DELIVERY_EVENT,
  REFUND_EVENT,
  buildDeliveryNotification,
  buildRefundNotification,
  createTestDeliveryNotification,
  parseNotification,
  parseDeliveryNotification,
  deliveryPayloadSchema,
  refundPayloadSchema,
  notificationEnvelopeSchema,
} from './notification'
export type {
  DeliveryNotification,
  DeliveryPayload,
  RefundNotification,
  RefundPayload,
  Notification,
  NotificationEnvelope,
  ParseOptions,
} from './notification'
export { createDeliveryHandler, createMemoryLedger } from './deliveryHandler'
export type { DeliveryHandlerOptions, DeliveryLedger } from './deliveryHandler'
export { sasSuccessReply, sasFailureReply, isSasSuccessReply, sasReplyProblem } from './sasReply'
export type { SasReply } from './sasReply'
export { createHostClient } from './hostClient'
export type { HostClient, HostClientOptions, Code2SessionResult } from './hostClient'
export { signOrder } from './signOrder'
export { createSiteAllowlist, isLoopbackHostname } from './siteAllowlist'
export type { SiteAllowlist, SiteAllowlistOptions } from './siteAllowlist'
export { JSON_TYPE, jsonBody, rawJsonBody, refuseRequest, requestGuard } from './requestGuard'
export type { GuardRefusal, JsonBodyOptions, RefusalHandler, RequestGuardOptions } from './requestGuard'
export type { SignOrderInput } from './signOrder'
export { serializeSignData, signDataSchema, OUT_TRADE_NO_PATTERN } from '../core/signData'
export type { SignData, SignDataInput } from '../core/signData'
export { GameSdkError } from '../core/errors'
export type { GameSdkErrorCode } from '../core/errors'
export { ErrCode, describeErrCode } from '../core/errcodes'
export { ServerErrcode } from '../core/serverErrcodes'
export type { ServerErrcodeName, ServerErrcodeValue } from '../core/serverErrcodes'
