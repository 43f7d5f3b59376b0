/**
 * The exceptions to "each route defined once and mounted from its definition", in one place,
 * each with its reason. The route comparison (test/integration/apiRoutes.test.ts) accepts
 * exactly these; docs/apiCatalog.ts documents the first list beside the definitions.
 */
import { HOST_SOCKET_PATH } from '@superapp-sim/game-sdk'
import { EVENT_STREAM_PATH } from '../control/eventStream'
import { HOST_EVENTS_PATH } from '../host/hostEvents'
import { FAVICON_PATHS } from '../http/favicon'
import type { ServedOutsideRouters } from '../http/routeDefinition'

const UPGRADE = { type: 'WebSocket', description: '101 Switching Protocols, then JSON messages' }

/**
 * Documented, served outside the Express routers: WebSocket upgrades (answered on the HTTP
 * server's `upgrade` event, sandbox/upgrades.ts, so no router sees them) and the drop-in
 * script (a static file of the built pages).
 */
export const SERVED_OUTSIDE_ROUTERS: readonly ServedOutsideRouters[] = [
  {
    method: 'GET',
    path: HOST_EVENTS_PATH,
    summary:
      "WebSocket (upgrade). Streams the sandbox's events as JSON (`order.*`, `delivery.attempt`, `refund.*`); with `?appId=`, only that game's. Read-only. QA tools read every event, with a cursor, from `/_sim/events/stream`.",
    content: UPGRADE,
  },
  {
    method: 'GET',
    path: HOST_SOCKET_PATH,
    summary:
      'WebSocket (upgrade) of a headless player (`?appId=&playerId=`; game-sdk `connectHeadlessPlayer`): `HOST_CALL`/`HOST_RESULT` as on the browser wire, `SHEET_OPEN` from the host, `SHEET_ANSWER {orderNo, answer}` from the player when the sheet policy is `manual`. Closed with 4001 when the sandbox is reset; a sheet open when the player leaves is cancelled.',
    content: UPGRADE,
    errors: ['400: missing appId or playerId', '404: unknown sandbox, mini game or player'],
  },
  {
    method: 'GET',
    path: EVENT_STREAM_PATH,
    summary: 'WebSocket (upgrade, loopback only): the events after `?after=<seq>`, then each new one, in order, once.',
    content: UPGRADE,
    errors: ['403: not a loopback client'],
  },
  {
    method: 'GET',
    path: '/sdk/wx.js',
    summary: 'The drop-in script that defines the global `wx` for a game framed by the host shell (no-op where a native `wx` exists).',
    content: { type: 'application/javascript', description: 'a static file of the built pages, any origin may load it' },
  },
]

/**
 * Mounted, not API, so not defined as routes: the start page's redirect to the host shell,
 * the host shell's "not built" page (when the pages are not built), the pages' icon.
 */
export const PAGES = ['GET /', 'GET /host/', ...FAVICON_PATHS.map((path) => `GET ${path}`)]
