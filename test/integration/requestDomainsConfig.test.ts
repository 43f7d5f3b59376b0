import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { fixtureDocumentSchema } from '../../simulator/src/fixtures/fixtures'
import { ConsoleClient } from '../support/console'
import { startStack, type Stack } from '../support/stack'

/** A mini game's request domains as configuration: the console's page API and fixture files. */
let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack.close()
})

const path = `/minigames/${DEMO_GAME.appId}/request-domains`

describe('request domains in the console', () => {
  it('start empty with loopback allowed and the note saying the real host refuses it', async () => {
    const operator = await ConsoleClient.login(stack, 'operator')
    const reply = await operator.call('GET', path)
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({ domains: [], allowLoopback: true })
    expect(reply.json.note).toMatch(/the real host refuses localhost and IP addresses/)
  })

  it('are saved by a senior developer in their stored form, repeats dropped', async () => {
    const dev = await ConsoleClient.login(stack, 'seniordev')
    const reply = await dev.call('PUT', path, { domains: ['https://API.example.com/', 'https://api.example.com', 'https://cdn.example.com'], allowLoopback: false })
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ domains: ['https://api.example.com', 'https://cdn.example.com'], allowLoopback: false })
    expect(stack.sim.store.state.miniGames.find((g) => g.appId === DEMO_GAME.appId)).toMatchObject({ requestDomains: ['https://api.example.com', 'https://cdn.example.com'], allowLoopbackRequests: false })
  })

  it('refuses every entry the real console would, naming each, and changes nothing', async () => {
    const admin = await ConsoleClient.login(stack, 'mpadmin')
    const before = structuredClone(stack.sim.store.state.miniGames.find((g) => g.appId === DEMO_GAME.appId))
    const reply = await admin.call('PUT', path, { domains: ['https://ok.example.com', 'http://plain.example.com', 'https://127.0.0.1', 'https://api.example.com:8443'], allowLoopback: true })
    expect(reply.status).toBe(400)
    expect(reply.json.error.code).toBe('VALIDATION_FAILED')
    expect(reply.json.error.message).toMatch(/domain 2: .*https:\/\/.*; domain 3: .*IP addresses or localhost.*; domain 4: .*no port/)
    expect(stack.sim.store.state.miniGames.find((g) => g.appId === DEMO_GAME.appId)).toEqual(before)
  })

  it('may be changed by the delivery configuration\'s roles only', async () => {
    const developer = await ConsoleClient.login(stack, 'developer')
    const reply = await developer.call('PUT', path, { domains: [], allowLoopback: true })
    expect(reply.status).toBe(403)
    expect(reply.json.error.message).toContain('deliveryConfig.configure')
  })
})

describe('request domains in a fixture', () => {
  it('are stored in their normal form when a sandbox resets to it', async () => {
    const document = fixtureDocumentSchema.parse({ games: [{ appId: 'mg00000000000000rd', name: 'Domains', requestDomains: ['https://API.example.com'], allowLoopbackRequests: false }] })
    await stack.sim.sandboxes.fixtures.register('domains', document)
    const core = await stack.sim.sandboxes.reset('domains-example', 'domains')
    expect(core.store.state.miniGames.find((g) => g.appId === 'mg00000000000000rd')).toMatchObject({ requestDomains: ['https://api.example.com'], allowLoopbackRequests: false })
  })

  it('refuses an entry the console would refuse', () => {
    const parsed = fixtureDocumentSchema.safeParse({ games: [{ appId: 'mg00000000000000rd', name: 'Domains', requestDomains: ['http://localhost:3000'] }] })
    expect(parsed.success).toBe(false)
    expect(JSON.stringify(parsed.error?.issues)).toContain('https://')
  })
})
