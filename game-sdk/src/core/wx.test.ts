import { describe, expect, it } from 'vitest'
import type { HostApi, HostResultPayload, HostTransport } from '../protocol/channel'
import { createGamePayments } from './payments'
import { createWx } from './wx'

/** An in-memory transport answering from a table: the boundary the browser/WS transports implement. */
function memoryTransport(answer: (api: HostApi, params: Record<string, unknown>) => Omit<HostResultPayload, 'callId'>) {
  const calls: { api: HostApi; params: Record<string, unknown> }[] = []
  const transport: HostTransport = {
    async call(api, params) {
      calls.push({ api, params })
      return { callId: String(calls.length), ...answer(api, params) }
    },
  }
  return { transport, calls }
}

const order = { signData: '{"mode":"goods"}', paySig: 'p', signature: 's' }

describe('createWx', () => {
  it('reports through success and complete when callbacks are given, and returns nothing', async () => {
    const { transport } = memoryTransport(() => ({ ok: true, result: { code: 'c1', errMsg: 'login:ok' } }))
    const wx = createWx(transport)
    const seen: string[] = []
    const returned = await new Promise((resolve) => {
      const value = wx.login({ success: (r) => seen.push(`success:${r.code}`), complete: (r) => resolve([value, r.errMsg]) })
    })
    expect(returned).toEqual([undefined, 'login:ok'])
    expect(seen).toEqual(['success:c1'])
  })

  it('returns a promise that rejects with the fail result when no callback is given', async () => {
    const { transport } = memoryTransport(() => ({ ok: false, result: { errCode: -15013, errMsg: 'requestMidasPaymentGameItem:fail item not released' } }))
    const wx = createWx(transport)
    await expect(wx.requestMidasPaymentGameItem(order)).rejects.toEqual({ errCode: -15013, errMsg: 'requestMidasPaymentGameItem:fail item not released' })
  })

  it('passes signData to the host untouched, even when it is not a string', async () => {
    const { transport, calls } = memoryTransport(() => ({ ok: false, result: { errCode: -15011, errMsg: 'x' } }))
    const wx = createWx(transport)
    await wx.requestMidasPaymentGameItem({ ...order, signData: { mode: 'goods' } as never })?.catch(() => {})
    expect(calls[0]?.params.signData).toEqual({ mode: 'goods' })
  })

  it('turns a broken transport into a fail result with errCode -1', async () => {
    const wx = createWx({ call: async () => Promise.reject(new Error('frame gone')) })
    const result = await new Promise((resolve) => wx.requestMidasPaymentGameItem({ ...order, fail: resolve }))
    expect(result).toEqual({ errCode: -1, errMsg: 'requestMidasPaymentGameItem:fail frame gone' })
  })

  it("fails a login as the platform's typings declare it: errMsg and errno (1, docs/protocol.md), no errCode", async () => {
    const wx = createWx({ call: async () => Promise.reject(new Error('frame gone')) })
    expect(await new Promise((resolve) => wx.login({ fail: resolve }))).toEqual({ errMsg: 'login:fail frame gone', errno: 1 })
    await expect(wx.login()).rejects.toEqual({ errMsg: 'login:fail frame gone', errno: 1 })
  })
})

describe('createGamePayments', () => {
  const withAnswer = (errCode: number) =>
    createGamePayments(createWx(memoryTransport(() => ({ ok: errCode === 0, result: { errCode, errMsg: `m${errCode}` } })).transport))

  it('maps errCode 0 to paid, 1 and -2 to cancelled, anything else to failed with a reason', async () => {
    expect(await withAnswer(0).purchase(order)).toEqual({ status: 'paid', errMsg: 'm0' })
    expect((await withAnswer(1).purchase(order)).status).toBe('cancelled')
    expect((await withAnswer(-2).purchase(order)).status).toBe('cancelled')
    expect(await withAnswer(-15016).purchase(order)).toEqual({ status: 'failed', errCode: -15016, errMsg: 'm-15016', reason: 'item price error' })
  })

  it('throws INVALID_ARGUMENT for an order without its signed fields', async () => {
    await expect(withAnswer(0).purchase({ signData: 'x' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('returns the login code, and throws HOST_API_ERROR when login fails', async () => {
    const ok = createGamePayments(createWx(memoryTransport(() => ({ ok: true, result: { code: 'abc', errMsg: 'login:ok' } })).transport))
    expect(await ok.login()).toBe('abc')
    const failing = createGamePayments(createWx(memoryTransport(() => ({ ok: false, result: { errMsg: 'login:fail' } })).transport))
    await expect(failing.login()).rejects.toMatchObject({ code: 'HOST_API_ERROR' })
  })
})
