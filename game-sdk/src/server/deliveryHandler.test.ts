import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { createDeliveryHandler, type DeliveryHandlerOptions } from './deliveryHandler'
import { buildDeliveryNotification, type DeliveryNotification, type DeliveryPayload } from '../protocol/notification'

const appKey = 'handler-test-key'
const payload = (outTradeNo: string, extra: Partial<DeliveryPayload> = {}): DeliveryPayload => ({
  OpenId: 'oPlayer',
  Env: '0',
  OutTradeNo: outTradeNo,
  GoodsInfo: { ProductId: 'gem', Quantity: 1, ZoneId: '', OrigPrice: 99, ActualPrice: 99, Attach: '', OrderSource: 1 },
  ...extra,
})

let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.map((close) => close()))
  closers = []
})

async function receiver(options: Partial<DeliveryHandlerOptions> & Pick<DeliveryHandlerOptions, 'deliver'>, onArrival?: () => void) {
  const app = express()
  app.use((_req, _res, next) => {
    onArrival?.()
    next()
  })
  // A json parser elsewhere in the app must not break the handler's raw body.
  app.use('/other', express.json())
  app.post('/delivery', createDeliveryHandler({ appKey, ...options }))
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/delivery`
}

/** Posts a notification body as the host does; the SDK's tests stand alone, without the project's test/support. */
async function postJson(url: string, body: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  return { status: response.status, json: (await response.json()) as Record<string, any> }
}

describe('createDeliveryHandler', () => {
  it('grants once and answers the SAS success reply', async () => {
    const granted: DeliveryNotification[] = []
    const url = await receiver({ deliver: (n) => void granted.push(n) })
    const reply = await postJson(url, buildDeliveryNotification(appKey, payload('A1')))
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({ returnCode: '0', data: 'ok' })
    expect(typeof reply.json.requestId).toBe('string')
    expect(granted.map((n) => n.payload.OutTradeNo)).toEqual(['A1'])
  })

  it('answers a duplicate with the same success reply without granting again', async () => {
    let grants = 0
    const url = await receiver({ deliver: () => void grants++ })
    const body = buildDeliveryNotification(appKey, payload('A2'))
    const replies = [await postJson(url, body), await postJson(url, body)]
    expect(replies.map((r) => r.json.returnCode)).toEqual(['0', '0'])
    expect(grants).toBe(1)
  })

  it('grants once when the same notification arrives concurrently', async () => {
    let grants = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let arrived = 0
    // Hold the first grant open until all three requests are in the server, so they overlap.
    const url = await receiver(
      {
        deliver: async () => {
          grants++
          await gate
        },
      },
      () => {
        if (++arrived === 3) setImmediate(() => setImmediate(release))
      },
    )
    const body = buildDeliveryNotification(appKey, payload('A3'))
    const inFlight = [postJson(url, body), postJson(url, body), postJson(url, body)]
    const replies = await Promise.all(inFlight)
    expect(replies.every((r) => r.json.returnCode === '0')).toBe(true)
    expect(grants).toBe(1)
  })

  it('refuses a bad signature with 401 and grants nothing', async () => {
    let grants = 0
    const rejected: string[] = []
    const url = await receiver({ deliver: () => void grants++, onRejected: (e) => void rejected.push(e.code) })
    const reply = await postJson(url, buildDeliveryNotification('wrong-key', payload('A4')))
    expect(reply.status).toBe(401)
    expect(reply.json.returnCode).not.toBe('0')
    expect(grants).toBe(0)
    expect(rejected).toEqual(['SIGNATURE_INVALID'])
  })

  it('answers a failure when deliver throws, so the host retries, and grants on the retry', async () => {
    let calls = 0
    const url = await receiver({
      deliver: () => {
        calls++
        if (calls === 1) throw new Error('database down')
      },
    })
    const body = buildDeliveryNotification(appKey, payload('A5'))
    const first = await postJson(url, body)
    expect(first.status).toBe(500)
    expect(first.json.returnMessage).toMatch(/database down/)
    const second = await postJson(url, body)
    expect(second.json.returnCode).toBe('0')
    expect(calls).toBe(2)
  })

  it('acknowledges a test push without granting', async () => {
    let grants = 0
    const url = await receiver({ deliver: () => void grants++ })
    const reply = await postJson(url, buildDeliveryNotification(appKey, payload('MOCK', { IsMock: true })))
    expect(reply.json.returnCode).toBe('0')
    expect(grants).toBe(0)
  })

  it('refuses to be built without an appKey or deliver', () => {
    expect(() => createDeliveryHandler({ appKey: '', deliver: () => {} })).toThrow(/appKey/)
    expect(() => createDeliveryHandler({ appKey, deliver: undefined as never })).toThrow(/deliver/)
  })
})
