import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_GAME } from '../../sample-game/shared/catalog'
import { ROLES, can, type Capability } from '../../simulator/src/console/permissions'
import { DEMO_ACCOUNTS } from '../../simulator/src/console/accounts'
import { STAR_DRIFT_APP_ID } from '../../simulator/src/demo/demoData'
import { ConsoleClient, type ApiReply } from '../support/console'
import { startStack, type Stack } from '../support/stack'

/**
 * Every capability that has a console route, tried by every role over HTTP: a role the
 * seed allows is never refused with 403; a role it does not allow always is, with a 403
 * naming the capability. (The table itself, all cells, is tested in permissions.test.ts.)
 */
const GEM = SAMPLE_GAME.appId
const probes: { capability: Capability; name: string; run: (c: ConsoleClient, stack: Stack) => Promise<ApiReply> }[] = [
  { capability: 'payment.request', name: 'request payment permission', run: (c) => c.post(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`, { message: 'please enable payment' }) },
  { capability: 'payment.request', name: 'list payment requests', run: (c) => c.get(`/minigames/${STAR_DRIFT_APP_ID}/payment/requests`) },
  { capability: 'deliveryConfig.view', name: 'view the delivery configuration', run: (c) => c.get(`/minigames/${GEM}/delivery-config`) },
  {
    capability: 'deliveryConfig.configure',
    name: 'save the delivery configuration',
    run: (c, stack) => c.put(`/minigames/${GEM}/delivery-config`, { url: `${stack.game.url}/api/delivery`, testUrl: `${stack.game.url}/api/delivery`, notificationsEnabled: true }),
  },
  { capability: 'deliveryConfig.configure', name: 'send a test push', run: (c) => c.post(`/minigames/${GEM}/delivery-config/test-push`) },
  { capability: 'deliveryConfig.requestCredentials', name: 'request a new certificate and key', run: (c) => c.post(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config/credentials`) },
  { capability: 'exemption.view', name: 'view the approval exemption', run: (c) => c.get(`/minigames/${GEM}/exemption`) },
  { capability: 'exemption.request', name: 'request the approval exemption', run: (c) => c.post(`/minigames/${STAR_DRIFT_APP_ID}/exemption/requests`, { message: 'we follow the rules' }) },
  { capability: 'approvals.view', name: 'view the approvals queue', run: (c) => c.get('/approvals?status=pending') },
  { capability: 'approvals.decide', name: 'approve a request', run: (c) => c.post('/approvals/A999999/approve') },
  { capability: 'approvals.decide', name: 'reject a request', run: (c) => c.post('/approvals/A999999/reject', { reason: 'no' }) },
  { capability: 'exemption.revoke', name: 'revoke an exemption', run: (c) => c.post(`/minigames/${GEM}/exemption/revoke`, { reason: 'rules broken' }) },
]

let stack: Stack
const clients = new Map<string, ConsoleClient>()
beforeAll(async () => {
  stack = await startStack()
  for (const account of DEMO_ACCOUNTS) clients.set(account.role, await ConsoleClient.login(stack, account.username))
})
afterAll(async () => {
  await stack.close()
})

describe('console routes enforce the seed tables for every role', () => {
  for (const probe of probes) {
    for (const role of ROLES) {
      const allowed = can(role.id, probe.capability)
      it(`${allowed ? 'lets' : 'stops'} ${role.name}: ${probe.name} (${probe.capability})`, async () => {
        const reply = await probe.run(clients.get(role.id)!, stack)
        if (allowed) {
          expect(reply.status, JSON.stringify(reply.json)).not.toBe(403)
          expect(reply.status, JSON.stringify(reply.json)).toBeLessThan(500)
        } else {
          expect(reply.status).toBe(403)
          expect(reply.json.error.code).toBe('FORBIDDEN')
          expect(reply.json.error.message).toContain(`"${probe.capability}"`)
        }
      })
    }
  }
})
