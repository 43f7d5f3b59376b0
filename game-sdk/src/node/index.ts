/**
 * @superapp-sim/game-sdk/node: a headless player (a mini game's `wx` without a browser)
 * over the simulator's host WebSocket, for automated tests, scenarios and load. Needs `ws`
 * (an optional peer); never imported by browser code.
 */
export { connectHeadlessPlayer, SHEET_DECIDER_FAILED } from './headlessPlayer'
export type { HeadlessPlayer, HeadlessPlayerOptions, SheetDecider } from './headlessPlayer'
export { createWebSocketTransport, describeClose } from './webSocketTransport'
export type { CloseInfo, WebSocketHostTransport, WebSocketTransportOptions } from './webSocketTransport'
export { hostSocketUrl } from './hostSocketUrl'
export type { SheetOpenPayload, SheetAnswer, SheetPolicy, SheetPolicyName, PaymentSheetView } from '../protocol/channel'
