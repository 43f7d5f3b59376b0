/**
 * Each route defined once (issue 16 item 2): method, path, who may call it, the zod schemas of
 * its parameters, query, body and response, a summary, and the handler. The Express router is
 * mounted from the definitions (mountRoutes), docs/api.md and docs/openapi.json are generated
 * from them (docs/apiCatalog.ts, routeDoc), and a test compares the routes the running app
 * mounts with what is documented, both ways (test/integration/apiRoutes.test.ts).
 */
import type { RequestHandler, Response, Router } from 'express'
import type { z } from 'zod'
import type { Capability } from '../console/permissions'
import { parseInput } from './validate'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What a schema lets through, or undefined where the route takes no such input. */
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined

/** The validated input a handler gets. */
export interface RouteInput<P, Q, B> {
  params: P
  query: Q
  body: B
}

/**
 * One route. `path` is in Express syntax (`/minigames/:appId`) below the router it is
 * mounted on; `context` is what the domain's handlers work on (a sandbox's core, the store).
 */
export interface RouteDefinition<
  Context,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod
  path: string
  summary: string
  /** Console routes: a bearer token and, where named, this capability. */
  auth?: 'bearer'
  capability?: Capability
  params?: P
  query?: Q
  body?: B
  /** How validation messages name the query or body ("invalid clock: …"). */
  inputName?: string
  /** The success answer's JSON. */
  response: R
  /** The success status. Default 200. */
  status?: number
  /** The refusals worth knowing, as documentation lines ("404: unknown mini game"). */
  errors?: string[]
  /** `res` for what earlier middleware left in its locals (the console's signed-in account). */
  handler: (context: Context, input: RouteInput<Parsed<P>, Parsed<Q>, Parsed<B>>, res: Response) => z.input<R> | Promise<z.input<R>>
}

/** The JSON a route answers: what a client of it receives (the console page takes its types from here). */
export type ResponseOf<D> = D extends { response: infer R extends z.ZodType } ? z.output<R> : never
/** The JSON body a route takes, as the client sends it. */
export type BodyOf<D> = D extends { body?: infer B } ? (B extends z.ZodType ? z.input<B> : never) : never

/** A definition of any shape, as a domain's list holds them (the list erases each route's own schemas). */
export type AnyRouteDefinition<Context> = RouteDefinition<Context, any, any, any, any>

/**
 * Types one route of a domain: the schemas given fix the handler's input and answer.
 *
 * @example
 * const route = defineRoute<SimulatorCore>()
 * export const CONTROL_ROUTES = [route({ method: 'GET', path: '/clock', summary: 'The clock.', response: clockView, handler: (core) => viewOf(core.clock) })]
 */
export function defineRoute<Context>() {
  return <
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    R extends z.ZodType = z.ZodType,
  >(
    definition: RouteDefinition<Context, P, Q, B, R>,
  ): RouteDefinition<Context, P, Q, B, R> => definition
}

/**
 * Mounts each definition on `router`: runs the domain's `guards` for it (the console's
 * capability check), parses the path parameters, query and body (a 400 naming the fields
 * when they do not fit, before the handler runs), calls the handler with `context`, answers
 * its result as JSON with the route's status.
 */
export function mountRoutes<Context>(
  router: Router,
  routes: readonly AnyRouteDefinition<Context>[],
  context: Context,
  guards: (route: AnyRouteDefinition<Context>) => RequestHandler[] = () => [],
): Router {
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
    router[method](route.path, ...guards(route), async (req, res) => {
      const input: RouteInput<unknown, unknown, unknown> = {
        params: route.params ? parseInput(route.params, req.params, 'path') : undefined,
        query: route.query ? parseInput(route.query, req.query, route.inputName ?? 'query') : undefined,
        body: route.body ? parseInput(route.body, req.body, route.inputName ?? 'body') : undefined,
      }
      res.status(route.status ?? 200).json(await route.handler(context, input, res))
    })
  }
  return router
}

/** `:appId` and `{*splat}` (Express 5) as OpenAPI's `{appId}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/\{\*(\w+)\}/g, '{$1}').replace(/:(\w+)/g, '{$1}')
}
