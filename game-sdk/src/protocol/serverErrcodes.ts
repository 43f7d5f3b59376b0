/**
 * errcode values of the host's server APIs (`/sns/jscode2session`, `/cgi-bin/token`,
 * `/xpay/*`). They answer in WeChat's shape: HTTP 200 and `{ errcode, errmsg }`, errcode 0
 * (or absent) for success, so a game server branches on the number. SAS documents no server
 * API errors; these are WeChat's published codes, each with its page (docs/protocol.md
 * lists them with their sources). The simulator and the SDK share this one table.
 */
export const ServerErrcode = {
  OK: 0,
  /** "system error": retry later (code2Session page, xpay error table). */
  SYSTEM_ERROR: -1,
  /** "invalid credential": an access_token the host does not know, or a wrong AppSecret for /cgi-bin/token (getAccessToken page, global codes). */
  INVALID_CREDENTIAL: 40001,
  /** "invalid grant_type" (global codes, getAccessToken page). */
  INVALID_GRANT_TYPE: 40002,
  /** "invalid appid" (global codes). */
  INVALID_APPID: 40013,
  /** "invalid code": js_code unknown or expired (code2Session page). */
  INVALID_CODE: 40029,
  /** "invalid appsecret" for jscode2session (global codes). */
  INVALID_APPSECRET: 40125,
  /** "code been used": each js_code is exchanged once (global codes). */
  CODE_BEEN_USED: 40163,
  /** "access_token missing" (global codes). */
  ACCESS_TOKEN_MISSING: 41001,
  /** "appid missing" (global codes). */
  APPID_MISSING: 41002,
  /** "appsecret missing" (global codes). */
  APPSECRET_MISSING: 41004,
  /** "missing code": no js_code (global codes). */
  CODE_MISSING: 41008,
  /** "access_token expired": fetch a new one (global codes). */
  ACCESS_TOKEN_EXPIRED: 42001,
  /** "data format error": a body that is not JSON, or not sent as application/json (global codes). */
  DATA_FORMAT_ERROR: 47001,
  /** "api minute-quota reach limit" (code2Session page). The simulator does not rate-limit, so it never answers this. */
  RATE_LIMITED: 45011,
  /** "openid error": the openid is not the order's player (xpay error table). */
  XPAY_OPENID_ERROR: 268490001,
  /**
   * "request parameter field error, see errmsg" (xpay error table). The simulator also
   * answers it for an unknown order and for an order not in a state the call allows:
   * WeChat publishes no code for those (a convention, docs/protocol.md).
   */
  XPAY_PARAMETER_ERROR: 268490002,
  /** "signature error": pay_sig is not HMAC-SHA256(AppKey, uri + "&" + body) (xpay error table). */
  XPAY_SIGNATURE_ERROR: 268490003,
  /** "refund left_fee does not match the order; query_order for it" (xpay error table). */
  XPAY_LEFT_FEE_MISMATCH: 268490016,
} as const

export type ServerErrcodeName = keyof typeof ServerErrcode
export type ServerErrcodeValue = (typeof ServerErrcode)[ServerErrcodeName]
