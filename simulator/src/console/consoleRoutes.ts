import { ITEM_ROUTES } from '../catalog/itemRoutes'
import type { AnyRouteDefinition } from '../http/routeDefinition'
import { APPROVAL_ROUTES } from './approvalRoutes'
import { DELIVERY_CONFIG_ROUTES } from './deliveryConfigRoutes'
import { EXEMPTION_ROUTES } from './exemptionRoutes'
import { MAILBOX_ROUTES } from './mailboxRoutes'
import { MINI_GAME_ROUTES } from './miniGameRoutes'
import { NOTIFICATION_ROUTES } from './notificationRoutes'
import { ORDER_ROUTES } from './orderRoutes'
import { REQUEST_DOMAIN_ROUTES } from './requestDomainRoutes'
import type { ConsoleServices } from './services'
import { SESSION_ROUTES } from './sessionRoutes'

/**
 * Every route of the console API (below /console/api/v1), each defined once in its domain's
 * module: consoleApi.ts mounts this list and docs/apiCatalog.ts documents it.
 */
export const CONSOLE_ROUTES: readonly AnyRouteDefinition<ConsoleServices>[] = [
  SESSION_ROUTES,
  MINI_GAME_ROUTES,
  APPROVAL_ROUTES,
  DELIVERY_CONFIG_ROUTES,
  REQUEST_DOMAIN_ROUTES,
  NOTIFICATION_ROUTES,
  EXEMPTION_ROUTES,
  ITEM_ROUTES,
  ORDER_ROUTES,
  MAILBOX_ROUTES,
].flatMap((group) => Object.values(group))
