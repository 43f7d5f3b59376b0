/**
 * @superapp-sim/game-sdk: the environment-free core. The protocol (wire types, errCodes,
 * signData, signatures, notifications, the SAS reply), the `wx` adapter over any
 * transport, the typed promise API, and the package's one error class. Per-environment
 * parts: `/browser`, `/server`, `/node`, `/testing`.
 */
export * from './protocol/index'
export { createWx } from './core/wx'
export { createGamePayments, toPurchaseResult } from './core/payments'
export type { GamePayments, PurchaseResult, SignedOrder } from './core/payments'
export { GameSdkError, errorMessage } from './core/errors'
export type { GameSdkErrorCode } from './core/errors'
export type * from './core/wxTypes'
