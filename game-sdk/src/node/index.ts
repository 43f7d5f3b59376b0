/**
 * game-sdk for Node: a headless player (a mini game's `wx` without a browser) over the
 * simulator's host WebSocket, for automated tests, scenarios and load. Never imported by
 * browser code: it needs `ws`.
 */
export { connectHeadlessPlayer, SHEET_DECIDER_FAILED } from './headlessPlayer'
export type { HeadlessPlayer, HeadlessPlayerOptions, SheetDecider } from './headlessPlayer'
export { createWebSocketTransport, describeClose } from './webSocketTransport'
export type { CloseInfo, WebSocketHostTransport, WebSocketTransportOptions } from './webSocketTransport'
export { hostSocketUrl, HOST_SOCKET_PATH } from './hostSocketUrl'
export {
  sheetOpenSchema,
  sheetAnswerSchema,
  protocolErrorSchema,
  hostSocketMessageSchema,
  playerSocketMessageSchema,
  paymentSheetSchema,
  sheetPolicySchema,
  SHEET_ANSWERS,
  SHEET_POLICIES,
} from '../core/channel'
export type { SheetOpenPayload, SheetAnswer, SheetPolicy, SheetPolicyName, PaymentSheetView } from '../core/channel'
export { createWx } from '../core/wx'
export { createGamePayments, toPurchaseResult } from '../core/payments'
export type { GamePayments, PurchaseResult, SignedOrder } from '../core/payments'
export { ErrCode, describeErrCode } from '../core/errcodes'
export { GameSdkError } from '../core/errors'
export type { GameSdkErrorCode } from '../core/errors'
export type * from '../core/wxTypes'
