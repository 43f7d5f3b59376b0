/** game-sdk core: environment-free protocol types, error codes and the typed promise API. */
export { createWx } from './core/wx'
export { createGamePayments, toPurchaseResult } from './core/payments'
export type { GamePayments, PurchaseResult, SignedOrder } from './core/payments'
export { ErrCode, describeErrCode } from './core/errcodes'
export type { ErrCodeName, ErrCodeValue } from './core/errcodes'
export { ServerErrcode } from './core/serverErrcodes'
export type { ServerErrcodeName, ServerErrcodeValue } from './core/serverErrcodes'
export { GameSdkError } from './core/errors'
export type { GameSdkErrorCode } from './core/errors'
export { signDataSchema, serializeSignData, OUT_TRADE_NO_PATTERN } from './core/signData'
export type { SignData, SignDataInput } from './core/signData'
export { CHANNEL_SOURCE, HOST_APIS, hostCall, hostResult, hostCallSchema, hostResultSchema } from './core/channel'
export type { HostApi, HostCall, HostResult, HostResultPayload, HostTransport } from './core/channel'
export {
  SHEET_ANSWERS,
  SHEET_POLICIES,
  paymentSheetSchema,
  sheetPolicySchema,
  sheetOpenSchema,
  sheetAnswerSchema,
  protocolErrorSchema,
  hostSocketMessageSchema,
  playerSocketMessageSchema,
  sheetOpen,
  sheetAnswer,
  protocolError,
} from './core/channel'
export type {
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
} from './core/channel'
export type * from './core/wxTypes'
