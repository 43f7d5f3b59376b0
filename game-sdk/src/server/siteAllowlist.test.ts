import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { createSiteAllowlist, isLoopbackHostname } from './siteAllowlist'

describe('isLoopbackHostname', () => {
  it.each(['localhost', 'LocalHost', 'localhost.', 'app.localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::1'])('takes %s for this machine', (name) => {
    expect(isLoopbackHostname(name)).toBe(true)
  })
  it.each(['localhost.example', 'mylocalhost', '127.0.0.1.nip.io', '128.0.0.1', '127.0.0.256', '0.0.0.0', '[::2]', '10.0.0.1', ''])('does not take %s for this machine', (name) => {
    expect(isLoopbackHostname(name)).toBe(false)
  })
})

describe('refuseHost', () => {
  const sites = createSiteAllowlist({ allowedHosts: ['sim.test', '.team.test'], howToAllowHost: 'use --allowed-host <name>' })

  it('allows loopback names and the configured hosts, with or without a port', () => {
    for (const host of ['localhost:7070', '127.0.0.1', '[::1]:7070', 'sim.test:7070', 'SIM.TEST', 'team.test', 'qa.team.test:1']) expect(sites.refuseHost(host), host).toBeUndefined()
  })

  it('refuses other names, malformed headers and a missing Host, saying how to allow a name', () => {
    expect(sites.refuseHost('attacker.example:7070')).toContain('use --allowed-host attacker.example')
    for (const host of ['sub.sim.test', 'team.test.evil', 'user@localhost', 'localhost:99999999', 'localhost/path', '']) expect(sites.refuseHost(host), host).toBeDefined()
    expect(sites.refuseHost(undefined)).toContain('no Host header')
  })

  it('allows the addresses of this machine when it listens on all of them, and only then', () => {
    const lan = Object.values(networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal)?.address
    if (!lan) return
    expect(createSiteAllowlist({ listenHost: '0.0.0.0' }).refuseHost(`${lan}:7070`)).toBeUndefined()
    expect(createSiteAllowlist({ listenHost: lan }).refuseHost(`${lan}:7070`)).toBeUndefined()
    expect(createSiteAllowlist({ listenHost: '127.0.0.1' }).refuseHost(`${lan}:7070`)).toBeDefined()
  })

  it('refuses options that are not host names', () => {
    for (const entry of ['sim.test:7070', 'http://sim.test', '*.sim.test', 'sim test', '']) expect(() => createSiteAllowlist({ allowedHosts: [entry] }), entry).toThrow(/is not a host name/)
  })
})

describe('refuseOrigin', () => {
  const sites = createSiteAllowlist({ allowedOrigins: ['http://localhost:5173'] })

  it('lets a client without Origin through: not a browser', () => {
    expect(sites.refuseOrigin(undefined, 'localhost:7070')).toBeUndefined()
  })

  it("allows the server's own pages under any of its loopback names, on the port it was reached at", () => {
    for (const origin of ['http://localhost:7070', 'http://127.0.0.1:7070', 'http://[::1]:7070']) expect(sites.refuseOrigin(origin, 'localhost:7070'), origin).toBeUndefined()
    expect(sites.refuseOrigin('http://localhost', 'localhost')).toBeUndefined()
  })

  it('refuses pages of other sites, other ports and opaque origins', () => {
    for (const origin of ['http://evil.example', 'http://localhost:7071', 'http://localhost', 'null', 'file://', 'chrome-extension://abc']) {
      expect(sites.refuseOrigin(origin, 'localhost:7070'), origin).toContain(origin)
    }
  })

  it('allows configured origins and the origins trusted for the request', () => {
    expect(sites.refuseOrigin('http://localhost:5173', 'localhost:7070')).toBeUndefined()
    expect(sites.refuseOrigin('http://127.0.0.1:7071', 'localhost:7070', ['http://127.0.0.1:7071'])).toBeUndefined()
    expect(() => createSiteAllowlist({ allowedOrigins: ['http://localhost:5173/app'] })).toThrow(/is not an origin/)
  })
})
