import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { ROLES, can, type Capability } from '../../simulator/src/console/permissions'
import { DEMO_ACCOUNTS } from '@superapp-sim/simulator/fixtures'
import { STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { ConsoleClient, type ApiReply } from '../support/console'
import { startStack, type Stack } from '../support/stack'
import { TINY_PNG, XLSX, send, workbook } from './itemsFixtures'

/**
 * Every capability that has a console route, tried by every role over HTTP: a role the
 * seed allows is never refused with 403; a role it does not allow always is, with a 403
 * naming the capability. (The table itself, all cells, is tested in permissions.test.ts.)
 */
const GEM = DEMO_GAME.appId
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
  { capability: 'deliveryConfig.configure', name: 'switch notifications on the item page', run: (c) => c.put(`/minigames/${GEM}/delivery-config/notifications`, { enabled: true }) },
  { capability: 'deliveryConfig.requestCredentials', name: 'request a new certificate and key', run: (c) => c.post(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config/credentials`) },
  { capability: 'exemption.view', name: 'view the approval exemption', run: (c) => c.get(`/minigames/${GEM}/exemption`) },
  { capability: 'exemption.request', name: 'request the approval exemption', run: (c) => c.post(`/minigames/${STAR_DRIFT_APP_ID}/exemption/requests`, { message: 'we follow the rules' }) },
  { capability: 'approvals.view', name: 'view the approvals queue', run: (c) => c.get('/approvals?status=pending') },
  { capability: 'approvals.decide', name: 'approve a request', run: (c) => c.post('/approvals/A999999/approve') },
  { capability: 'approvals.decide', name: 'reject a request', run: (c) => c.post('/approvals/A999999/reject', { reason: 'no' }) },
  { capability: 'exemption.revoke', name: 'revoke an exemption', run: (c) => c.post(`/minigames/${GEM}/exemption/revoke`, { reason: 'rules broken' }) },
  { capability: 'items.view', name: 'list the virtual items', run: (c) => c.get(`/minigames/${GEM}/items?state=released`) },
  { capability: 'items.view', name: 'export the virtual items', run: (c) => raw(c, 'GET', `/minigames/${GEM}/items/export?format=csv`) },
  { capability: 'items.downloadTemplate', name: 'download the item template', run: (c) => raw(c, 'GET', `/minigames/${GEM}/items/template`) },
  { capability: 'items.edit', name: 'add a virtual item', run: (c) => c.post(`/minigames/${GEM}/items`, { productId: 'probe_item', name: 'Probe', price: 100, imageUrl: 'https://cdn.example.com/p.png' }) },
  { capability: 'items.edit', name: 'edit a virtual item', run: (c) => c.call('PATCH', `/minigames/${GEM}/items/dragon_egg`, { description: 'edited by a probe' }) },
  {
    capability: 'items.edit',
    name: 'import virtual items',
    run: async (c) => raw(c, 'POST', `/minigames/${GEM}/items/import`, await workbook([['probe_import', 'Imported', 100, '', '']]), XLSX),
  },
  { capability: 'items.edit', name: "upload an item's image", run: (c) => raw(c, 'PUT', `/minigames/${GEM}/items/dragon_egg/image`, TINY_PNG, 'image/png') },
  { capability: 'items.edit', name: 'upload an image for a new item', run: (c) => raw(c, 'POST', `/minigames/${GEM}/images`, TINY_PNG, 'image/png') },
  { capability: 'items.requestRelease', name: 'request a release', run: (c) => c.post(`/minigames/${GEM}/items/release`, { productIds: ['probe_item'] }) },
  { capability: 'items.remove', name: 'remove items from sale', run: (c) => c.post(`/minigames/${GEM}/items/remove`, { productIds: ['gem_pack_small'] }) },
  { capability: 'items.remove', name: 'delete an item', run: (c) => c.call('DELETE', `/minigames/${GEM}/items/probe_import`) },
  { capability: 'orders.view', name: 'list order records', run: (c) => c.get(`/minigames/${GEM}/orders`) },
  { capability: 'orders.view', name: 'view an order', run: (c) => c.get(`/minigames/${GEM}/orders/SIM0000000000000001`) },
  { capability: 'orders.export', name: 'export order records', run: (c) => c.get(`/minigames/${GEM}/orders/export?format=csv`) },
  { capability: 'afterSales.view', name: 'list after-sales records', run: (c) => c.get(`/minigames/${GEM}/refunds`) },
  { capability: 'afterSales.export', name: 'export after-sales records', run: (c) => c.get(`/minigames/${GEM}/refunds/export?format=xlsx`) },
  { capability: 'approvals.view', name: 'view the refund queue', run: (c) => c.get('/refunds/pending') },
  { capability: 'approvals.decide', name: 'approve a refund request', run: (c) => c.post('/refunds/RF2026010100000001/approve') },
]

/** A console call with a raw body (an .xlsx, an image) or a non-JSON answer. */
async function raw(c: ConsoleClient, method: string, path: string, body?: Uint8Array, contentType?: string): Promise<ApiReply> {
  const reply = await send(c, method, path, body, contentType)
  return { status: reply.status, json: reply.json ?? reply.bytes.toString('utf8') }
}

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
