/**
 * The protocol: every wire fact the game, its server, the host and the simulator share,
 * defined once. Environment-free (no DOM, no Node built-ins).
 */
export {
  CHANNEL_SOURCE,
  HOST_APIS,
  HOST_SOCKET_PATH,
  SHEET_ANSWERS,
  SHEET_POLICIES,
  hostCall,
  hostResult,
  sheetOpen,
  sheetAnswer,
  protocolError,
  hostCallSchema,
  hostResultSchema,
  paymentSheetSchema,
  sheetPolicySchema,
  sheetOpenSchema,
  sheetAnswerSchema,
  protocolErrorSchema,
  hostSocketMessageSchema,
  playerSocketMessageSchema,
} from './channel'
export type {
  HostApi,
  HostCall,
  HostResult,
  HostResultPayload,
  HostTransport,
  PaymentSheetView,
  SheetPolicy,
  SheetPolicyName,
  SheetAnswer,
  SheetOpen,
  SheetOpenPayload,
  SheetAnswerMessage,
  ProtocolError,
  HostSocketMessage,
  PlayerSocketMessage,
} from './channel'
export { ErrCode, LOGIN_FAILED_ERRNO, describeErrCode } from './errcodes'
export type { ErrCodeName, ErrCodeValue } from './errcodes'
export { ServerErrcode } from './serverErrcodes'
export type { ServerErrcodeName, ServerErrcodeValue } from './serverErrcodes'
export { signDataSchema, serializeSignData, OUT_TRADE_NO_PATTERN, CURRENCY_PATTERN } from './signData'
export type { SignData, SignDataInput } from './signData'
export { PAY_SIG_PREFIX, hmacSha256Hex, signPaySig, signUserSignature, signPayEventSig, signServerApi, signaturesEqual } from './signatures'
export {
  DELIVERY_EVENT,
  REFUND_EVENT,
  notificationEnvelopeSchema,
  deliveryPayloadSchema,
  refundPayloadSchema,
  buildDeliveryNotification,
  buildRefundNotification,
  parseNotification,
  parseDeliveryNotification,
} from './notification'
export type {
  NotificationEnvelope,
  DeliveryPayload,
  DeliveryNotification,
  RefundPayload,
  RefundNotification,
  Notification,
  ParseOptions,
} from './notification'
export { sasSuccessReply, sasFailureReply, isSasSuccessReply, sasReplyProblem } from './sasReply'
export type { SasReply } from './sasReply'
