import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { responseProblem } from './routeDefinition'

describe('responseProblem: the check of an answer against its response schema', () => {
  const view = z.object({ orderNo: z.string(), paidAt: z.string().optional(), refunds: z.array(z.object({ amount: z.number().int() })) })

  it('passes an answer the schema describes, as the client receives it (undefined fields dropped, key order free)', () => {
    expect(responseProblem(view, { refunds: [{ amount: 3 }], paidAt: undefined, orderNo: 'SIM1' })).toBeUndefined()
  })

  it('names a field of the wrong type or missing', () => {
    expect(responseProblem(view, { orderNo: 1, refunds: [] })).toMatch(/orderNo/)
    expect(responseProblem(view, { orderNo: 'SIM1' })).toMatch(/refunds/)
  })

  it('names a field the schema does not describe, however deep', () => {
    expect(responseProblem(view, { orderNo: 'SIM1', refunds: [{ amount: 3, reason: 'x' }], secret: 'k' })).toMatch(/\.refunds\[0\]\.reason, \.secret/)
  })

  it('checks what JSON makes of the answer: a Date is its ISO string', () => {
    expect(responseProblem(z.object({ at: z.string() }), { at: new Date(0) })).toBeUndefined()
  })
})
