import { describe, expect, it } from 'vitest'
import { NOT_IN_DOMAIN_LIST, checkDomainEntry, checkRequestUrl } from './requestDomains'

const policy = { domains: ['https://api.example.com'], allowLoopback: true }

describe('request domain entries', () => {
  it('stores an https domain in lower case without a trailing slash', () => {
    expect(checkDomainEntry(' https://API.Example.com/ ')).toEqual({ ok: true, entry: 'https://api.example.com' })
  })

  it.each([
    ['http://api.example.com', /https/],
    ['https://api.example.com:8443', /no port/],
    ['https://api.example.com/v1', /no path/],
    ['https://127.0.0.1', /IP addresses or localhost/],
    ['https://localhost', /IP addresses or localhost/],
    ['https://[::1]', /IP addresses or localhost/],
    ['https://intranet', /full domain name/],
    ['api.example.com', /not a URL/],
    ['', /enter a domain/],
  ])('refuses %s', (entry, message) => {
    const check = checkDomainEntry(entry)
    expect(check.ok).toBe(false)
    if (!check.ok) expect(check.error).toMatch(message)
  })
})

describe('which URLs wx.request may reach', () => {
  it('allows a listed domain on any port, as SAS does', () => {
    expect(checkRequestUrl('https://api.example.com/shop', policy)).toEqual({ allowed: true, reason: 'listed' })
    expect(checkRequestUrl('https://api.example.com:8443/shop', policy)).toEqual({ allowed: true, reason: 'listed' })
  })

  it('refuses a listed domain over plain http', () => {
    expect(checkRequestUrl('http://api.example.com/shop', policy)).toMatchObject({ allowed: false, errMsg: NOT_IN_DOMAIN_LIST })
  })

  it('refuses another domain, a subdomain and a parent domain, saying where to add it', () => {
    for (const url of ['https://evil.example.net/', 'https://cdn.api.example.com/', 'https://example.com/']) {
      const check = checkRequestUrl(url, policy, 'Gem Quest')
      expect(check).toMatchObject({ allowed: false, errMsg: NOT_IN_DOMAIN_LIST })
      if (!check.allowed) expect(check.hint).toContain(`add https://${new URL(url).hostname} in Console > Basic configuration > Request domains of Gem Quest`)
    }
  })

  it('allows loopback by default with a note, and refuses it when turned off', () => {
    for (const url of ['http://127.0.0.1:7071/api', 'http://localhost:3000/', 'http://[::1]:8080/', 'http://127.8.0.1/']) {
      const check = checkRequestUrl(url, policy)
      expect(check).toMatchObject({ allowed: true, reason: 'loopback' })
      if (check.allowed) expect(check.note).toMatch(/real host refuses localhost/)
      expect(checkRequestUrl(url, { ...policy, allowLoopback: false })).toMatchObject({ allowed: false, errMsg: NOT_IN_DOMAIN_LIST })
    }
  })

  it('allows private LAN addresses, which the device reaches, and no other IP', () => {
    for (const url of ['http://192.168.1.20:3000/', 'http://10.0.0.2/', 'http://172.20.1.1/']) expect(checkRequestUrl(url, policy)).toMatchObject({ allowed: true, reason: 'lan' })
    for (const url of ['http://172.32.0.1/', 'http://8.8.8.8/', 'http://169.254.169.254/latest/meta-data']) expect(checkRequestUrl(url, policy)).toMatchObject({ allowed: false })
  })

  it('refuses what is not an http(s) URL', () => {
    expect(checkRequestUrl('/api/shop', policy)).toMatchObject({ allowed: false, errMsg: 'request:fail invalid url' })
    expect(checkRequestUrl('file:///etc/passwd', policy)).toMatchObject({ allowed: false, errMsg: 'request:fail invalid url' })
  })
})
