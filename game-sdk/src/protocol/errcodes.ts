/**
 * errCode values of `wx.requestMidasPaymentGameItem`. SAS documents none, so these are
 * WeChat's (docs/protocol.md section 1, with the source of each); the simulator and the SDK share this one table.
 */
export const ErrCode = {
  OK: 0,
  SYSTEM_FAILURE: -1,
  PAYMENT_CANCELLED: -2,
  MISSING_PARAMETER: -15001,
  INVALID_PARAMETER: -15002,
  DUPLICATE_ORDER: -15003,
  NO_PAYMENT_PERMISSION: -15005,
  CURRENCY_NOT_SUPPORTED: -15006,
  ORDER_ALREADY_PAID: -15007,
  WRONG_DATA_TYPE: -15011,
  USER_SIGNATURE_ERROR: -15012,
  ITEM_NOT_RELEASED: -15013,
  PAY_SIG_ERROR: -15014,
  SESSION_KEY_EXPIRED: -15015,
  ITEM_PRICE_ERROR: -15016,
  ORDER_CLOSED: -15017,
  USER_CANCELLED: 1,
  PAYMENT_IN_PROGRESS: 2,
  PARAMETER_ERROR: 1000,
} as const

export type ErrCodeName = keyof typeof ErrCode
export type ErrCodeValue = (typeof ErrCode)[ErrCodeName]

const descriptions: Record<ErrCodeValue, string> = {
  0: 'ok',
  [-1]: 'system failure',
  [-2]: 'payment cancelled',
  [-15001]: 'missing parameter',
  [-15002]: 'invalid parameter',
  [-15003]: 'duplicate order: outTradeNo was already used',
  [-15005]: 'this appId has no payment permission',
  [-15006]: 'currency not supported by the superapp',
  [-15007]: 'order already paid',
  [-15011]: 'wrong data type',
  [-15012]: 'user-state signature error',
  [-15013]: 'item not released',
  [-15014]: 'paySig error',
  [-15015]: 'session_key expired',
  [-15016]: 'item price error',
  [-15017]: 'order closed',
  1: 'user cancelled',
  2: 'a payment is already in progress',
  1000: 'parameter error',
}

/** A short English description of an errCode, for messages and UIs. */
export function describeErrCode(errCode: number): string {
  return (descriptions as Record<number, string>)[errCode] ?? 'unknown error'
}

/**
 * The `errno` a failed wx.login carries (the platform's Errno, which minigame-api-typings
 * declares on login's fail result). The Errno page lists no code for a login the host could
 * not complete, so the simulator answers its generic error, 1: a convention
 * (docs/protocol.md, "Client errCodes").
 */
export const LOGIN_FAILED_ERRNO = 1
