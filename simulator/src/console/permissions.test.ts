import { describe, expect, it } from 'vitest'
import type { RoleId } from '../store/model'
import { CAPABILITIES, PERMISSIONS, ROLES, can, capabilitiesOf, type Capability } from './permissions'

/**
 * The seed's role tables transcribed a second time, independently of permissions.ts, in
 * the seed's column order: Super admin, Platform admin, Mini program administrator, senior
 * developer, developer, operator. Y = check mark or "Read-only", - = no.
 */
const SEED: Record<Capability, string> = {
  'payment.request': '- - Y - - -',
  'deliveryConfig.view': 'Y Y Y Y Y Y',
  'deliveryConfig.configure': '- - Y Y - -',
  'deliveryConfig.requestCredentials': '- - Y Y - -',
  'exemption.view': 'Y Y Y Y Y Y',
  'exemption.request': '- - Y Y - -',
  'items.view': 'Y Y Y Y Y Y',
  'items.downloadTemplate': '- - Y Y Y -',
  'items.edit': '- - Y Y Y -',
  'items.requestRelease': '- - Y Y - -',
  'items.remove': '- - Y - - -',
  'orders.view': 'Y Y Y Y Y Y',
  'orders.export': 'Y Y Y Y Y Y',
  'afterSales.view': 'Y Y Y Y Y Y',
  'afterSales.export': 'Y Y Y Y Y Y',
  'approvals.view': 'Y Y - - - -',
  'approvals.decide': 'Y Y - - - -',
  'exemption.revoke': 'Y Y - - - -',
}
const COLUMNS: RoleId[] = ['super_admin', 'platform_admin', 'mp_admin', 'mp_senior_dev', 'mp_developer', 'mp_operator']

describe('the permission table', () => {
  it('has exactly the capabilities of the seed tables', () => {
    expect([...CAPABILITIES].sort()).toEqual(Object.keys(SEED).sort())
    expect(ROLES.map((r) => r.id)).toEqual(COLUMNS)
  })

  for (const capability of Object.keys(SEED) as Capability[]) {
    const cells = SEED[capability].split(' ')
    COLUMNS.forEach((role, column) => {
      const allowed = cells[column] === 'Y'
      it(`${allowed ? 'allows' : 'refuses'} ${role} ${capability} (${PERMISSIONS[capability].label})`, () => {
        expect(can(role, capability)).toBe(allowed)
        expect(capabilitiesOf(role).includes(capability)).toBe(allowed)
      })
    })
  }
})
