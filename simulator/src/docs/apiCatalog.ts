import { z } from 'zod'
import { signDataSchema } from '@superapp-sim/game-sdk'
import { deliveryPayloadSchema, notificationEnvelopeSchema, refundPayloadSchema } from '@superapp-sim/game-sdk'
import { MEDIA_ROUTES } from '../catalog/mediaRoutes'
import { CONSOLE_API_BASE } from '../console/apiBase'
import { CONSOLE_ROUTES } from '../console/consoleRoutes'
import type { Capability } from '../console/permissions'
import { CONTROL_ROUTES } from '../control/controlRoutes'
import { SANDBOX_ROUTES } from '../control/sandboxRoutes'
import { HOST_API_ROUTES, REQUEST_RELAY_ROUTES } from '../host/hostRoutes'
import { LOCAL_PACKAGE_ROUTES } from '../host/minigamePackage'
import { LOCAL_PACKAGE_ROUTE } from '../host/minigameConfig'
import { openApiPath, type AnyRouteDefinition, type RouteContent, type ServedOutsideRouters } from '../http/routeDefinition'
import { LOGIN_ROUTES } from '../login/loginRoutes'
import { SERVED_OUTSIDE_ROUTERS } from '../sandbox/servedOutsideRouters'
import { TOKEN_ROUTES, XPAY_ROUTES } from '../serverApi/xpayRoutes'

/**
 * Every HTTP endpoint of the simulator, assembled from the route definitions of each domain
 * (http/routeDefinition.ts): nothing here restates a route. docs/api.md and docs/openapi.json
 * are generated from this list (`npm run docs`), a test fails when they are stale, and
 * another compares the routes the running app mounts with this list, both ways.
 */
export interface EndpointDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  summary: string
  /** Console routes: needs a bearer token and, where named, this capability. */
  auth?: 'bearer'
  capability?: Capability
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  /** A body that is a file, not JSON: its content types. */
  upload?: RouteContent
  /** The success answer's JSON. */
  response?: z.ZodType
  /** The success answer when it is not JSON (an image, a file, a WebSocket). */
  content?: RouteContent
  /** The success status. */
  status: number
  /** The refusals and other answers worth knowing, one line each ("404: unknown mini game"). */
  errors: string[]
}

/** A route definition as a catalog entry, below the path its router is mounted on. */
function routeDoc<Context>(base: string, route: AnyRouteDefinition<Context>): EndpointDoc {
  return {
    method: route.method,
    path: `${base}${openApiPath(route.path)}`,
    summary: route.summary,
    ...(route.auth ? { auth: route.auth } : {}),
    ...(route.capability ? { capability: route.capability } : {}),
    ...(route.params ? { params: route.params } : {}),
    ...(route.query ? { query: route.query } : {}),
    ...(route.body ? { body: route.body } : {}),
    ...(route.upload ? { upload: route.upload.content } : {}),
    ...(route.response ? { response: route.response } : {}),
    ...(route.content ? { content: route.content } : {}),
    status: route.status ?? (route.response || route.content ? 200 : 204),
    errors: route.errors ?? [],
  }
}

/** A route served outside the routers (a WebSocket upgrade, a static script), documented beside the code that serves it. */
function outsideDoc(route: ServedOutsideRouters): EndpointDoc {
  return { method: route.method, path: route.path, summary: route.summary, content: route.content, status: route.content.type === 'WebSocket' ? 101 : 200, errors: route.errors ?? [] }
}

/** The domains' route lists, each below the path its router is mounted on. */
const routesBelow = <Context>(base: string, routes: Record<string, AnyRouteDefinition<Context>> | readonly AnyRouteDefinition<Context>[]) =>
  Object.values(routes).map((route) => routeDoc(base, route))

export const API_ENDPOINTS: EndpointDoc[] = [
  // The game server's API, in WeChat's shape: login/loginRoutes.ts, serverApi/xpayRoutes.ts.
  ...routesBelow('', LOGIN_ROUTES),
  ...routesBelow('', TOKEN_ROUTES),
  ...routesBelow('', XPAY_ROUTES),
  // The host shell's API: host/hostRoutes.ts, host/minigamePackage.ts.
  ...routesBelow('/host/api', HOST_API_ROUTES),
  ...routesBelow('/host/api', REQUEST_RELAY_ROUTES),
  ...routesBelow(LOCAL_PACKAGE_ROUTE, LOCAL_PACKAGE_ROUTES),
  // Test control: control/sandboxRoutes.ts (above the sandboxes), control/controlRoutes.ts (one sandbox's).
  ...routesBelow('/_sim', SANDBOX_ROUTES),
  ...routesBelow('/_sim', CONTROL_ROUTES),
  // Item images: catalog/mediaRoutes.ts.
  ...routesBelow('', MEDIA_ROUTES),
  // WebSocket upgrades and the drop-in script: sandbox/servedOutsideRouters.ts.
  ...SERVED_OUTSIDE_ROUTERS.map(outsideDoc),
]

/** The console API: console/consoleRoutes.ts lists each domain's definitions. */
export const CONSOLE_ENDPOINTS: EndpointDoc[] = routesBelow(CONSOLE_API_BASE, CONSOLE_ROUTES)

/** Wire formats a game sees, documented from the same schemas the SDK validates with. */
export const WIRE_FORMATS: { name: string; summary: string; schema: z.ZodType }[] = [
  { name: 'signData', summary: 'The JSON string passed to wx.requestMidasPaymentGameItem (docs/protocol.md section 1).', schema: signDataSchema },
  { name: 'Delivery notification envelope', summary: 'The body the host POSTs to the delivery URL (docs/protocol.md section 2).', schema: notificationEnvelopeSchema },
  { name: 'Delivery notification Payload', summary: 'The JSON inside `Payload` of Event `minigame_game_pay_goods_deliver_notify`; PayEventSig covers its exact string.', schema: deliveryPayloadSchema },
  {
    name: 'Refund notification Payload',
    summary:
      'Event `xpay_refund_notify`, in the same envelope, signed the same way: HMAC-SHA256(AppKey, "xpay_refund_notify&" + Payload). SAS documents no refund notification; this is a simulator convention modelled on WeChat\'s.',
    schema: refundPayloadSchema,
  },
]
