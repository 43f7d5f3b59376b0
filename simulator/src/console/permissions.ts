import type { RoleId } from '../store/model'

/** The six roles of the seed, superapp roles first. */
export const ROLES: readonly { id: RoleId; name: string; scope: 'superapp' | 'team' }[] = [
  { id: 'super_admin', name: 'Super admin', scope: 'superapp' },
  { id: 'platform_admin', name: 'Platform admin', scope: 'superapp' },
  { id: 'mp_admin', name: 'Mini program administrator', scope: 'team' },
  { id: 'mp_senior_dev', name: 'Mini program senior developer', scope: 'team' },
  { id: 'mp_developer', name: 'Mini program developer', scope: 'team' },
  { id: 'mp_operator', name: 'Mini program operator', scope: 'team' },
]

const ALL: readonly RoleId[] = ROLES.map((r) => r.id)
const SUPERAPP: readonly RoleId[] = ['super_admin', 'platform_admin']

/**
 * The seed's role tables, cell for cell (docs/decisions/002-console.md explains how the
 * extracted tables were read). One entry per capability: its seed label and who holds it.
 * Every console route names one of these; nothing else grants access.
 */
export const PERMISSIONS = {
  'payment.request': { section: 'Enable virtual payment', label: 'Enable payment - Request permission', roles: ['mp_admin'] },
  'deliveryConfig.view': { section: 'Basic configuration', label: 'Delivery notification configuration - view', roles: ALL },
  'deliveryConfig.configure': { section: 'Basic configuration', label: 'Delivery notification configuration - Configure/modify', roles: ['mp_admin', 'mp_senior_dev'] },
  'deliveryConfig.requestCredentials': { section: 'Basic configuration', label: 'Delivery notification configuration - Request certificates and keys', roles: ['mp_admin', 'mp_senior_dev'] },
  'exemption.view': { section: 'Basic configuration', label: 'No-review permission for virtual items - view', roles: ALL },
  'exemption.request': { section: 'Basic configuration', label: 'No-review permission for virtual items - Request', roles: ['mp_admin', 'mp_senior_dev'] },
  'items.view': { section: 'Virtual item management', label: 'Virtual item list - view', roles: ALL },
  'items.downloadTemplate': { section: 'Virtual item management', label: 'Virtual item - Download templates', roles: ['mp_admin', 'mp_senior_dev', 'mp_developer'] },
  'items.edit': { section: 'Virtual item management', label: 'Virtual item - Add/import/edit virtual items', roles: ['mp_admin', 'mp_senior_dev', 'mp_developer'] },
  'items.requestRelease': { section: 'Virtual item management', label: 'Virtual item - Request release', roles: ['mp_admin', 'mp_senior_dev'] },
  'items.remove': { section: 'Virtual item management', label: 'Virtual item - delete/remove virtual items', roles: ['mp_admin'] },
  'orders.view': { section: 'Order record', label: 'Order record - view list/details', roles: ALL },
  'orders.export': { section: 'Order record', label: 'Order record - Export order info', roles: ALL },
  'afterSales.view': { section: 'After-sales record', label: 'After-sales record - view', roles: ALL },
  'afterSales.export': { section: 'After-sales record', label: 'After-sales record - export', roles: ALL },
  'approvals.view': { section: 'Superapp approvals', label: "Superapp - view the teams' requests", roles: SUPERAPP },
  'approvals.decide': { section: 'Superapp approvals', label: 'Superapp - approve or reject requests', roles: SUPERAPP },
  'exemption.revoke': { section: 'Superapp approvals', label: 'Superapp - revoke an approval exemption (removes released items)', roles: SUPERAPP },
} as const satisfies Record<string, { section: string; label: string; roles: readonly RoleId[] }>

export type Capability = keyof typeof PERMISSIONS
export const CAPABILITIES = Object.keys(PERMISSIONS) as Capability[]

export function can(role: RoleId, capability: Capability): boolean {
  return (PERMISSIONS[capability].roles as readonly RoleId[]).includes(role)
}

export function capabilitiesOf(role: RoleId): Capability[] {
  return CAPABILITIES.filter((capability) => can(role, capability))
}

export function roleName(role: RoleId): string {
  return ROLES.find((r) => r.id === role)?.name ?? role
}

export function isSuperappRole(role: RoleId): boolean {
  return SUPERAPP.includes(role)
}
