import type { ImageStore } from '../catalog/images'
import type { Clock } from '../clock'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { defineRoute } from '../http/routeDefinition'
import type { RefundService } from '../refunds/refundService'
import type { Store } from '../store/store'
import type { LoginLimiter } from './loginLimits'

/** What the console API's handlers work on: one sandbox's services (the context of every console route definition). */
export interface ConsoleServices {
  store: Store
  clock: Clock
  delivery: DeliveryEngine
  images: ImageStore
  refunds: RefundService
  /** Failed logins per account and client address, on the sandbox clock. */
  loginLimiter: LoginLimiter
  /** The console API as OpenAPI 3.1, rendered from the route definitions (loaded by the composition root, so no route imports the docs). */
  openApi: () => Promise<Record<string, unknown>>
}

/** Defines one console route (http/routeDefinition.ts). */
export const consoleRoute = defineRoute<ConsoleServices>()

/** The refusal every signed-in route can give, first among its documented errors. */
export const signedInErrors = (...extra: string[]) => ['401 UNAUTHENTICATED: no, bad or expired token', ...extra]
