/**
 * @superapp-sim/game-sdk/express: Express middleware for a game's server (express is an
 * optional peer; this entry is the only one that loads it at run time). `requestGuard`
 * refuses a Host that is not yours (DNS rebinding) and state-changing requests from foreign
 * pages; `jsonBody` takes application/json only and answers a body that does not parse with
 * a 400, never a default. The simulator, the sample game server and the test game server
 * use the same two.
 */
export { JSON_TYPE, jsonBody, rawJsonBody, refuseRequest, requestGuard } from './requestGuard'
export type { GuardRefusal, JsonBodyOptions, RefusalHandler, RequestGuardOptions } from './requestGuard'
export { createSiteAllowlist, isLoopbackHostname } from '../server/siteAllowlist'
export type { SiteAllowlist, SiteAllowlistOptions } from '../server/siteAllowlist'
