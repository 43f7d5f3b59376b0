/**
 * Each route defined once (issue 16 item 2): method, path, who may call it, the zod schemas of
 * its parameters, query, body and response, a summary, and the handler. The Express router is
 * mounted from the definitions (mountRoutes), docs/api.md and docs/openapi.json are generated
 * from them (docs/apiCatalog.ts, routeDoc), and a test compares the routes the running app
 * mounts with what is documented, both ways (test/integration/apiRoutes.test.ts).
 */
import { isDeepStrictEqual } from 'node:util'
import type { RequestHandler, Response, Router } from 'express'
import { z } from 'zod'
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
  /**
   * How validation messages name the input ("invalid clock: …"): one name for the query and
   * the body, or one per part. The path parameters are "path" unless named.
   */
  inputName?: string | { params?: string; query?: string; body?: string }
  /**
   * A route whose body is a file, not JSON: what it takes (for the docs) and the parser that
   * reads it (runs after the domain's guards; the handler reads the bytes from `res.req`).
   */
  upload?: { content: RouteContent; parser: RequestHandler }
  /** No body at all counts as `{}` (a route whose body fields are all optional). */
  optionalBody?: true
  /** The success answer's JSON. A route without one answers 204 with no body, or writes `content` itself. */
  response?: R
  /**
   * A route that answers something other than JSON (an image, a file, a stream): the handler
   * writes it through `res` itself; this says what it is, for the docs.
   */
  content?: RouteContent
  /** The success status. Default 200 (204 for a route with neither `response` nor `content`). */
  status?: number
  /** A success status that depends on the answer (202 for a release waiting for approval) or on what the handler noted in `res.locals`. */
  statusOf?: (answer: z.output<R>, res: Response) => number
  /** The refusals worth knowing, as documentation lines ("404: unknown mini game"). */
  errors?: string[]
  /** `res` for what earlier middleware left in its locals (the console's signed-in account). */
  handler: (context: Context, input: RouteInput<Parsed<P>, Parsed<Q>, Parsed<B>>, res: Response) => HandlerAnswer<R> | Promise<HandlerAnswer<R>>
}

/** What a non-JSON route answers: its content type(s) and a line saying what the bytes are. */
export interface RouteContent {
  type: string
  description: string
}

/** What a handler returns for "204, no body" on a route that otherwise answers JSON (the package manifest when no folder is served). */
export const NO_CONTENT = Symbol('204 No Content')

/** A handler answers its response schema's input; a route without one answers nothing (204, or it wrote `content`). */
type HandlerAnswer<R extends z.ZodType> = z.ZodType extends R ? unknown : z.input<R> | typeof NO_CONTENT

/**
 * A route that is documented but served outside the Express routers (a WebSocket upgrade, a
 * static script): the route comparison accepts it as documented-not-mounted. Listed beside
 * the code that serves it.
 */
export interface ServedOutsideRouters {
  method: 'GET'
  path: string
  summary: string
  content: RouteContent
  errors?: string[]
}

/** The JSON a route answers: what a client of it receives (the console page takes its types from here). */
export type ResponseOf<D> = D extends { response?: infer R extends z.ZodType } ? z.output<R> : never
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
 * its result as JSON with the route's status (204 and no body for a route without a
 * response; a `content` route has written its answer itself). A domain that refuses in
 * another shape (WeChat's errcode) maps errors with an error handler after these routes.
 */
export function mountRoutes<Context>(
  router: Router,
  routes: readonly AnyRouteDefinition<Context>[],
  context: Context,
  guards: (route: AnyRouteDefinition<Context>) => RequestHandler[] = () => [],
): Router {
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
    const names = typeof route.inputName === 'string' ? { query: route.inputName, body: route.inputName } : (route.inputName ?? {})
    router[method](route.path, ...guards(route), ...(route.upload ? [route.upload.parser] : []), async (req, res) => {
      const input: RouteInput<unknown, unknown, unknown> = {
        params: route.params ? parseInput(route.params, req.params, names.params ?? 'path') : undefined,
        query: route.query ? parseInput(route.query, req.query, names.query ?? 'query') : undefined,
        body: route.body ? parseInput(route.body, route.optionalBody ? (req.body ?? {}) : req.body, names.body ?? 'body') : undefined,
      }
      const answer = await route.handler(context, input, res)
      // A content route wrote its answer; a closed response (the client gave up) takes none.
      if (route.content || res.headersSent || res.destroyed) return
      if (!route.response || answer === NO_CONTENT) return void res.status(route.response ? 204 : (route.status ?? 204)).end()
      responseCheck?.(route, answer)
      res.status(route.statusOf ? route.statusOf(answer, res) : (route.status ?? 200)).json(answer)
    })
  }
  return router
}

/** Where a route's answer did not fit its response schema, as the response check found it. */
export interface ResponseMismatch {
  route: string
  problem: string
}

let responseCheck: ((route: { method: string; path: string; response?: z.ZodType }, answer: unknown) => void) | undefined

/**
 * Checks every JSON answer of every mounted route against its response schema from now on,
 * handing each mismatch to `report` (the answer itself is sent unchanged): an answer that
 * breaks its schema, or carries a field the schema does not describe. The integration tests
 * turn it on (test/support/responseCheck.ts) so a response schema that stops describing
 * what its handler answers fails the test that made the call. `undefined` turns it off.
 */
export function checkResponses(report: ((mismatch: ResponseMismatch) => void) | undefined): void {
  responseCheck = report && ((route, answer) => {
    const problem = responseProblem(route.response!, answer)
    if (problem) report({ route: `${route.method} ${route.path}`, problem })
  })
}

/** What is wrong with `answer` as `schema` describes it, as the client receives it (JSON), or undefined. */
export function responseProblem(schema: z.ZodType, answer: unknown): string | undefined {
  const wire: unknown = answer === undefined ? undefined : JSON.parse(JSON.stringify(answer))
  const result = schema.safeParse(wire)
  if (!result.success) return z.prettifyError(result.error).replaceAll('\n', ' ')
  if (!isDeepStrictEqual(result.data, wire)) return `the answer has fields the schema does not describe, or differs from it: ${undescribed(wire, result.data).join(', ') || JSON.stringify(wire)}`
  return undefined
}

/** The paths of `wire` that `described` (the schema's parse of it) dropped. */
function undescribed(wire: unknown, described: unknown, path = ''): string[] {
  if (Array.isArray(wire) && Array.isArray(described)) return wire.flatMap((value, i) => undescribed(value, described[i], `${path}[${i}]`))
  if (wire && typeof wire === 'object' && described && typeof described === 'object') {
    return Object.entries(wire).flatMap(([key, value]) =>
      key in described ? undescribed(value, (described as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`],
    )
  }
  return []
}

/** `:appId` and `{*splat}` (Express 5) as OpenAPI's `{appId}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/\{\*(\w+)\}/g, '{$1}').replace(/:(\w+)/g, '{$1}')
}
