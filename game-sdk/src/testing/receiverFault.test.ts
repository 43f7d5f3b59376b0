import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { createReceiverFault, type ReceiverFault } from './receiverFault'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

/** A receiver behind the switch that answers 200 "handled" when a notification gets through. */
async function receiverBehind(fault: ReceiverFault) {
  const app = express()
  app.post('/delivery', fault.middleware, (_req, res) => void res.json({ handled: true }))
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/delivery`
  return async () => {
    const response = await fetch(url, { method: 'POST' })
    return [response.status, await response.json()] as const
  }
}

describe('the receiver-fault switch', () => {
  it('answers 503 to the next count notifications, then lets them through', async () => {
    const fault = createReceiverFault()
    const notify = await receiverBehind(fault)
    fault.failNext(2)
    expect((await notify())[0]).toBe(503)
    expect(fault.state()).toEqual({ mode: 'down', remaining: 1, delayMs: 0 })
    expect((await notify())[0]).toBe(503)
    expect(await notify()).toEqual([200, { handled: true }])
    expect(fault.state()).toEqual({ mode: 'ok', remaining: null, delayMs: 0 })
  })

  it('stays down until up()', async () => {
    const fault = createReceiverFault()
    const notify = await receiverBehind(fault)
    fault.down()
    for (let i = 0; i < 3; i++) expect((await notify())[0]).toBe(503)
    fault.up()
    expect(await notify()).toEqual([200, { handled: true }])
  })

  it('answers 200 with a body that is not the SAS success reply in wrong-body mode', async () => {
    const fault = createReceiverFault()
    const notify = await receiverBehind(fault)
    fault.set('wrong-body', { count: 1 })
    expect(await notify()).toEqual([200, { ok: true }])
    expect(await notify()).toEqual([200, { handled: true }])
  })

  it('delays slow answers by 3.5 s unless told otherwise, past the host\'s 3 s attempt timeout', () => {
    const fault = createReceiverFault()
    expect(fault.set('slow', { count: 1 })).toEqual({ mode: 'slow', remaining: 1, delayMs: 3500 })
    fault.slow(20)
    expect(fault.state()).toEqual({ mode: 'slow', remaining: null, delayMs: 20 })
  })

  it('lets a slow notification through to the handler once the delay is over', async () => {
    const fault = createReceiverFault()
    const notify = await receiverBehind(fault)
    fault.slow(1)
    expect(await notify()).toEqual([200, { handled: true }])
  })
})
